# helpbook in a container: built from this folder, run from an image that
# holds only the binary. The default theme is compiled into the binary, so
# nothing else is needed at run time.
#
#   docker build -t helpbook .
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/work" helpbook build
#
# Not built or run where helpbook is developed (no Docker engine there):
# `.ci/run` lints this file with hadolint.

# Build: Alpine's Rust targets musl, so the binary is static on every
# architecture the base image has (amd64, arm64).
FROM rust:1.91-alpine AS build
# musl-dev: the C headers mimalloc compiles against (any version of the
# image's Alpine release will do).
# hadolint ignore=DL3018
RUN apk add --no-cache musl-dev
WORKDIR /src
COPY . .
RUN cargo build --release --locked \
    && mkdir -p /out/usr/local/bin /out/tmp /out/work \
    && cp target/release/helpbook /out/usr/local/bin/helpbook \
    && chmod 1777 /out/tmp /out/work

# Run: nothing but the binary, a /tmp for `serve`, and /work to mount a
# project on.
FROM scratch
COPY --from=build /out/ /
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/helpbook"]
CMD ["--help"]
