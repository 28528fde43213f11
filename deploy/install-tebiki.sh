#!/usr/bin/env bash
# Installs tebiki for a CI build, unless a `tebiki` is already on PATH (a cached one, or an
# image that has it).
#
# By default it builds tebiki from the repository it runs in (the tebiki repository builds
# its own guide site). A site kept in its own repository sets TEBIKI_GIT to the tebiki
# repository's address and TEBIKI_REV to the tag or commit to build, so every deploy uses the
# same version.
set -euo pipefail

if command -v tebiki >/dev/null 2>&1; then
  tebiki --version
  exit 0
fi

if ! command -v cargo >/dev/null 2>&1; then
  # Build images without Rust (Cloudflare Pages): a minimal stable toolchain.
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
  # shellcheck disable=SC1091
  . "$HOME/.cargo/env"
fi

if [ -n "${TEBIKI_GIT:-}" ]; then
  cargo install --locked --git "$TEBIKI_GIT" ${TEBIKI_REV:+--rev "$TEBIKI_REV"} tebiki
else
  cargo install --locked --path .
fi
tebiki --version
