# tebiki in a container: build it once, run it on a site mounted at /site.
#
#   docker build -t tebiki .
#   docker run --rm -v "$PWD:/site" tebiki check --deny warnings
#   docker run --rm -u "$(id -u):$(id -g)" -v "$PWD:/site" tebiki build
#
# The builder stage compiles tebiki on the official Rust image; the final image holds only
# the binary (the default theme is inside it) on a distroless base with glibc: no shell, no
# package manager. `tebiki translations diff` needs git, which is not in it.

FROM rust:1-slim-bookworm AS builder
WORKDIR /src
COPY Cargo.toml Cargo.lock build.rs ./
COPY src src
COPY themes themes
COPY benches benches
RUN cargo build --release --locked --bin tebiki

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=builder /src/target/release/tebiki /usr/local/bin/tebiki
WORKDIR /site
ENTRYPOINT ["/usr/local/bin/tebiki"]
CMD ["build"]
