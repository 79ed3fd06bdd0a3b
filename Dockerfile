# The tkn-migrate image the tekton/ Task runs: the binary, git (convert --pr-branch commits
# with it) and a shell for the Task's script.
#   docker build --build-arg VERSION=v0.1.0 --build-arg COMMIT=$(git rev-parse HEAD) -t ghcr.io/tkn-migrate/tkn-migrate:v0.1.0 .
FROM docker.io/library/golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=devel
ARG COMMIT=
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION} -X main.commit=${COMMIT}" \
      -o /out/tkn-migrate ./cmd/tkn-migrate

FROM docker.io/alpine/git:2.47.2
COPY --from=build /out/tkn-migrate /usr/local/bin/tkn-migrate
# The UID git-clone 1.7.0 uses: a PipelineRun's podTemplate fsGroup 65532 makes the workspace writable.
USER 65532:65532
ENV HOME=/tmp
ENTRYPOINT ["tkn-migrate"]
