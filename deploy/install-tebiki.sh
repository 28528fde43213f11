#!/usr/bin/env bash
# Installs tebiki for a CI build, unless the `tebiki` already on PATH (a cached one, or an
# image that has it) was built from the same source.
#
# By default it builds tebiki from the repository it runs in (the tebiki repository builds
# its own guide site). A site kept in its own repository sets TEBIKI_GIT to the tebiki
# repository's address and TEBIKI_REV to the tag or commit to build, so every deploy uses the
# same version.
#
# What a cached binary was built from is kept in .tebiki-cache/installed-from (the recipes
# cache that folder with the binary): a change to tebiki's source, or a new TEBIKI_REV, builds
# it again instead of deploying with the old one.
set -euo pipefail

stamp=.tebiki-cache/installed-from
if [ -n "${TEBIKI_GIT:-}" ]; then
  wanted="$TEBIKI_GIT ${TEBIKI_REV:-}"
elif [ -f Cargo.toml ]; then
  wanted=$({ find Cargo.toml Cargo.lock build.rs src themes -type f -print0 2>/dev/null || true; } \
    | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
else
  # No source to compare with: an image that has tebiki.
  wanted=""
fi

if command -v tebiki >/dev/null 2>&1 \
  && { [ -z "$wanted" ] || [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ]; }; then
  tebiki --version
  exit 0
fi

if [ -z "${TEBIKI_GIT:-}" ] && [ ! -f Cargo.toml ]; then
  echo "install-tebiki.sh: no tebiki on PATH and nothing to build it from: a site in its own" >&2
  echo "repository sets TEBIKI_GIT (the tebiki repository's address) and TEBIKI_REV (the tag or" >&2
  echo "commit to build); on GitHub, set them as repository variables, which the recipe passes on." >&2
  exit 1
fi

if ! command -v cargo >/dev/null 2>&1; then
  # Build images without Rust (Cloudflare Pages): a minimal stable toolchain.
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
  # shellcheck disable=SC1091
  . "$HOME/.cargo/env"
fi

if [ -n "${TEBIKI_GIT:-}" ]; then
  cargo install --locked --force --git "$TEBIKI_GIT" ${TEBIKI_REV:+--rev "$TEBIKI_REV"} tebiki
else
  cargo install --locked --force --path .
fi
mkdir -p .tebiki-cache
printf '%s\n' "$wanted" > "$stamp"
tebiki --version
