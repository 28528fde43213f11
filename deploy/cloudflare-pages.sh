#!/usr/bin/env bash
# Cloudflare Pages build command: `bash deploy/cloudflare-pages.sh`, build output directory
# `public` (also set in deploy/wrangler.toml). The production branch is built for the site's
# own base_url; every other branch for its preview address (CF_PAGES_URL).
set -euo pipefail

bash deploy/install-tebiki.sh
export PATH="$HOME/.cargo/bin:$PATH"
tebiki check --deny warnings
if [ "${CF_PAGES_BRANCH:-}" = "${PRODUCTION_BRANCH:-main}" ]; then
  tebiki build
else
  tebiki build --base-url "${CF_PAGES_URL:?CF_PAGES_URL is set by Cloudflare Pages}/"
fi
