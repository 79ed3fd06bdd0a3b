package travis

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
)

// language is what travis-build does for one `language:` (travis-semantics.md §1).
type language struct {
	name       string
	versionKey string // the key whose value picks the runtime ("" = none)
	defVersion string // travis-build's default when the key is unset
	versionVar string // TRAVIS_<X>_VERSION
	// image maps a version to an official image; note says why it is approximate ("" = exact).
	image   func(v string) (img, note string)
	install []string // default install when the key is absent (run-time file checks, as travis-build does)
	script  []string // default script
	setup   []string // environment setup travis-build does before before_install
}

var langAliases = sync.OnceValue(func() map[string]string {
	return map[string]string{
		"java": "java", "jvm": "java", "java8": "java", "java11": "java", "c++": "cpp", "cplusplus": "cpp",
		"objective-c": "objective-c", "swift": "objective-c", "bash": "generic", "sh": "generic", "shell": "generic",
		"minimal": "generic", "generic": "generic", "javascript": "node_js", "js": "node_js", "node": "node_js",
		"node_js": "node_js", "golang": "go", "virtual_env": "python",
	}
})

// canonicalLanguage maps a language value to its builder; unknown ones use Ruby's, as travis-build does.
func canonicalLanguage(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if a, ok := langAliases()[s]; ok {
		return a, true
	}
	if strings.HasPrefix(s, "java") {
		return "java", true
	}
	if _, ok := languages[s]; ok {
		return s, true
	}
	return "ruby", false
}

func tag(repo string) func(string) (string, string) {
	return func(v string) (string, string) { return repo + ":" + v, "" }
}

// ubuntuFor maps a Travis dist to the matching official Ubuntu image.
var ubuntuFor = map[string]string{"trusty": "14.04", "xenial": "16.04", "bionic": "18.04", "focal": "20.04", "jammy": "22.04", "noble": "24.04"}

const defaultDist = "focal"

var jvmInstall = []string{
	`if [ -f gradlew ]; then ./gradlew assemble; elif [ -f build.gradle ] || [ -f build.gradle.kts ]; then gradle assemble; elif [ -f mvnw ]; then ./mvnw install -DskipTests=true -Dmaven.javadoc.skip=true -B -V; elif [ -f pom.xml ]; then mvn install -DskipTests=true -Dmaven.javadoc.skip=true -B -V; fi`,
}
var jvmScript = []string{
	`if [ -f gradlew ]; then ./gradlew check; elif [ -f build.gradle ] || [ -f build.gradle.kts ]; then gradle check; elif [ -f mvnw ]; then ./mvnw test -B; elif [ -f pom.xml ]; then mvn test -B; else ant test; fi`,
}

var languages = map[string]*language{
	"ruby": {name: "ruby", versionKey: "rvm", defVersion: "default", versionVar: "TRAVIS_RUBY_VERSION", image: rubyImage,
		install: []string{`if [ -f "${BUNDLE_GEMFILE:-Gemfile}" ]; then if [ -f "${BUNDLE_GEMFILE:-Gemfile}.lock" ]; then bundle install --jobs=3 --retry=3 --deployment; else bundle install --jobs=3 --retry=3; fi; fi`},
		script:  []string{`if [ -f "${BUNDLE_GEMFILE:-Gemfile}" ]; then bundle exec rake; else rake; fi`}},
	"node_js": {name: "node_js", versionKey: "node_js", defVersion: "0.10", versionVar: "TRAVIS_NODE_VERSION", image: nodeImage,
		install: []string{`if [ -f package.json ]; then if [ -f yarn.lock ]; then yarn --frozen-lockfile; elif [ -f package-lock.json ] || [ -f npm-shrinkwrap.json ]; then npm ci; else npm install; fi; fi`},
		script:  []string{`if [ -f package.json ]; then if [ -f yarn.lock ]; then yarn test; else npm test; fi; else make test; fi`},
		setup:   []string{`export PATH="$PWD/node_modules/.bin:$PATH"`}},
	"python": {name: "python", versionKey: "python", defVersion: "3.10", versionVar: "TRAVIS_PYTHON_VERSION", image: pythonImage,
		install: []string{`if [ -f Requirements.txt ]; then pip install -r Requirements.txt; elif [ -f requirements.txt ]; then pip install -r requirements.txt; else echo "Could not locate requirements.txt. Override the install: key in your .travis.yml to install dependencies."; fi`},
		script:  []string{`echo "Please override the script: key in your .travis.yml to run tests."; false`},
		setup:   []string{`export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_PROGRESS_BAR=off`}},
	"go": {name: "go", versionKey: "go", defVersion: "1.11.x", versionVar: "TRAVIS_GO_VERSION", image: goImage,
		install: []string{`if [ ! -f GNUmakefile ] && [ ! -f makefile ] && [ ! -f Makefile ] && [ ! -f BSDmakefile ]; then go get -v -t ./...; fi`},
		script:  []string{`if [ -f GNUmakefile ] || [ -f makefile ] || [ -f Makefile ] || [ -f BSDmakefile ]; then make; else go test -v ./...; fi`},
		setup:   []string{`export GOPATH="` + goPath + `${GOPATH:+:$GOPATH}" GO111MODULE="${GO111MODULE:-auto}"`, `export PATH="` + goPath + `/bin:$PATH"`}},
	"java": {name: "java", versionKey: "jdk", defVersion: "default", versionVar: "TRAVIS_JDK_VERSION", image: jdkImage("maven:3-eclipse-temurin-"),
		install: jvmInstall, script: jvmScript},
	"groovy": {name: "groovy", versionKey: "jdk", defVersion: "default", versionVar: "TRAVIS_JDK_VERSION", image: jdkImage("gradle:jdk"),
		install: jvmInstall, script: jvmScript},
	"android": {name: "android", versionKey: "jdk", defVersion: "default", versionVar: "TRAVIS_JDK_VERSION", image: androidImage,
		script: []string{`if [ -f gradlew ]; then ./gradlew build connectedCheck; elif [ -f build.gradle ]; then gradle build connectedCheck; elif [ -f pom.xml ]; then mvn install -B; else ant debug install test; fi`}},
	"scala": {name: "scala", versionKey: "scala", defVersion: "2.12.8", versionVar: "TRAVIS_SCALA_VERSION", image: scalaImage,
		script: []string{`if [ -d project ] || [ -f build.sbt ]; then sbt $SBT_ARGS ++$TRAVIS_SCALA_VERSION test; else ` + jvmScript[0] + `; fi`}},
	"clojure": {name: "clojure", versionKey: "jdk", defVersion: "default", versionVar: "TRAVIS_JDK_VERSION", image: jdkImage("clojure:temurin-", "-lein"),
		install: []string{"lein deps"}, script: []string{"lein test"}},
	"php": {name: "php", versionKey: "php", defVersion: "7.2", versionVar: "TRAVIS_PHP_VERSION", image: phpImage,
		script: []string{`if [ -x vendor/bin/phpunit ]; then vendor/bin/phpunit; else phpunit; fi`},
		setup: []string{`command -v composer >/dev/null || curl -sS https://getcomposer.org/installer | php -- --install-dir=/usr/local/bin --filename=composer`,
			`export PATH="$HOME/.composer/vendor/bin:$PATH"`}},
	"rust": {name: "rust", versionKey: "rust", defVersion: "stable", versionVar: "TRAVIS_RUST_VERSION", image: rustImage,
		script: []string{"cargo build --verbose", "cargo test --verbose"}},
	"c": {name: "c", versionKey: "compiler", defVersion: "gcc", versionVar: "TRAVIS_COMPILER", image: cImage,
		script: []string{"./configure && make && make test"}},
	"cpp": {name: "cpp", versionKey: "compiler", defVersion: "g++", versionVar: "TRAVIS_COMPILER", image: cImage,
		script: []string{"./configure && make && make test"}},
	"generic": {name: "generic", image: nil},
	"elixir": {name: "elixir", versionKey: "elixir", defVersion: "1.0.2", versionVar: "TRAVIS_ELIXIR_VERSION", image: tag("elixir"),
		install: []string{"mix local.rebar --force", "mix local.hex --force", "mix deps.get"}, script: []string{"mix test"}},
	"erlang": {name: "erlang", versionKey: "otp_release", defVersion: "R14B04", versionVar: "TRAVIS_OTP_RELEASE", image: erlangImage,
		install: []string{`if [ -f rebar.config ] && [ -f ./rebar ]; then ./rebar get-deps; elif [ -f rebar.config ] && ! command -v rebar3 >/dev/null; then rebar get-deps; fi`},
		script:  []string{`if [ -f rebar.config ] && [ -f ./rebar ]; then ./rebar compile && ./rebar skip_deps=true eunit; elif [ -f rebar.config ]; then if command -v rebar3 >/dev/null; then rebar3 eunit; else rebar compile && rebar skip_deps=true eunit; fi; else make test; fi`}},
	"haskell": {name: "haskell", versionKey: "ghc", defVersion: "7.10.3", versionVar: "TRAVIS_HASKELL_VERSION", image: tag("haskell"),
		install: []string{"cabal update", "cabal install --only-dependencies --enable-tests"},
		script:  []string{"cabal configure --enable-tests && cabal build && cabal test"}},
	"perl": {name: "perl", versionKey: "perl", defVersion: "5.14", versionVar: "TRAVIS_PERL_VERSION", image: tag("perl"),
		install: []string{"cpanm --quiet --installdeps --notest ."},
		script:  []string{`if [ -f Build.PL ]; then perl Build.PL && ./Build && ./Build test; elif [ -f Makefile.PL ]; then perl Makefile.PL && make test; else make test; fi`}},
	"julia": {name: "julia", versionKey: "julia", defVersion: "1", versionVar: "TRAVIS_JULIA_VERSION", image: tag("julia"),
		script: []string{`julia -e 'using Pkg; Pkg.build(); Pkg.test(coverage=true)'`}},
	"dart": {name: "dart", versionKey: "dart", defVersion: "stable", versionVar: "TRAVIS_DART_VERSION", image: tag("dart"),
		install: []string{`if [ -f pubspec.yaml ]; then dart pub get; fi`}, script: []string{"dart test"}},
	"crystal": {name: "crystal", versionKey: "crystal", defVersion: "latest", versionVar: "TRAVIS_CRYSTAL_VERSION", image: tag("crystallang/crystal"),
		install: []string{`if [ -f shard.yml ]; then shards install; fi`}, script: []string{"crystal spec"}},
	"haxe": {name: "haxe", versionKey: "haxe", defVersion: "4.0.2", versionVar: "TRAVIS_HAXE_VERSION", image: tag("haxe"),
		script: []string{`echo "No hxml file given: set the hxml: key or override script:" >&2; false`}},
	"nix": {name: "nix", versionKey: "nix", defVersion: "2.3.6", versionVar: "TRAVIS_NIX_VERSION", image: tag("nixos/nix"),
		script: []string{"nix-build"}},
	"r": {name: "r", versionKey: "r", defVersion: "4.0.2", versionVar: "TRAVIS_R_VERSION", image: rImage,
		install: []string{`Rscript -e 'install.packages("remotes"); remotes::install_deps(dependencies = TRUE)'`},
		script:  []string{`R CMD build . && R CMD check *.tar.gz --as-cran`}},
	"csharp": {name: "csharp", versionKey: "dotnet", defVersion: "latest", versionVar: "TRAVIS_DOTNET_VERSION", image: dotnetImage,
		script: []string{`echo "No solution or script defined, exiting" >&2; false`}},
	"d": {name: "d", versionKey: "d", defVersion: "latest", versionVar: "TRAVIS_D_VERSION", image: dImage,
		script: []string{"dub test --compiler=$DC"}},
	"elm": {name: "elm", versionKey: "node_js", defVersion: "12", versionVar: "TRAVIS_NODE_VERSION", image: nodeImage,
		setup:  []string{"npm install -g elm elm-test elm-format"},
		script: []string{"elm-format --validate . && elm-test"}},
	"perl6": {name: "perl6", versionKey: "perl6", defVersion: "latest", versionVar: "TRAVIS_PERL6_VERSION", image: tag("rakudo-star"), script: []string{"PERL6LIB=lib prove --ext .t --ext .t6 -v -r --exec=perl6 t/"}},
	"smalltalk": {name: "smalltalk", versionKey: "smalltalk", versionVar: "TRAVIS_SMALLTALK_VERSION",
		script: []string{`echo "smalltalkCI is not installed in this image: install hpi-swa/smalltalkCI or override script:" >&2; false`}},
	"matlab": {name: "matlab", versionKey: "matlab", defVersion: "latest", versionVar: "TRAVIS_MATLAB_VERSION", image: tag("mathworks/matlab"), script: []string{`matlab -batch "assertSuccess(runtests('IncludeSubfolders',true));"`}},
	"objective-c": {name: "objective-c", versionKey: "rvm", defVersion: "default", versionVar: "TRAVIS_RUBY_VERSION",
		script: []string{`if [ -f Rakefile ]; then rake spec; else echo "Set xcode_scheme with xcode_project or xcode_workspace, or override script:" >&2; false; fi`}},
	"hack": {name: "hack", versionKey: "hhvm", versionVar: "TRAVIS_HHVM_VERSION"},
}

// supportedKeys lists the expansion keys each language accepts besides os, arch and env
// (travis-yml Matrix::Support); unsupported root keys do not expand.
var supportedKeys = sync.OnceValue(func() map[string][]string {
	return map[string][]string{
		"ruby": {"rvm", "gemfile", "jdk"}, "node_js": {"node_js"}, "python": {"python"}, "go": {"go"},
		"java": {"jdk"}, "groovy": {"jdk"}, "android": {"jdk"}, "scala": {"scala", "jdk"}, "clojure": {"jdk"},
		"php": {"php"}, "rust": {"rust"}, "c": {"compiler"}, "cpp": {"compiler"}, "elixir": {"elixir", "otp_release"},
		"erlang": {"otp_release"}, "haskell": {"ghc"}, "perl": {"perl"}, "julia": {"julia"}, "dart": {"dart", "dart_task"},
		"crystal": {"crystal"}, "haxe": {"haxe"}, "nix": {"nix"}, "r": {"r"}, "csharp": {"mono", "dotnet", "solution"},
		"d": {"d"}, "elm": {"elm", "node_js"}, "perl6": {"perl6"}, "smalltalk": {"smalltalk", "smalltalk_config", "smalltalk_vm"},
		"matlab": {"matlab"}, "objective-c": {"rvm", "gemfile", "xcode_scheme", "xcode_sdk", "compiler"}, "hack": {"hhvm"},
		"generic": {},
	}
})

var numericVersion = lazyre.New(`^v?[0-9]+(\.[0-9]+)*$`)

// trimX turns "1.15.x" into "1.15".
func trimX(v string) string { return strings.TrimSuffix(strings.TrimSuffix(v, ".x"), ".x") }

func rubyImage(v string) (string, string) {
	switch {
	case v == "default" || v == "":
		return "ruby:3.3", "rvm default: the image's Ruby (3.3 on Travis focal/jammy/noble)"
	case strings.HasPrefix(v, "jruby"):
		t := strings.TrimPrefix(strings.TrimPrefix(v, "jruby"), "-")
		if t == "" || t == "head" {
			return "jruby:9", "jruby " + v + " has no pinned image; using jruby:9"
		}
		return "jruby:" + t, ""
	case v == "ruby-head" || strings.HasSuffix(v, "-head"):
		return "ruby:3", v + " has no image; using the newest Ruby 3 (ruby:3)"
	}
	t := strings.TrimPrefix(v, "ruby-")
	if numericVersion.MatchString(t) {
		return "ruby:" + t, ""
	}
	return "ruby:" + t, "ruby " + v + " may have no official image tag"
}

func nodeImage(v string) (string, string) {
	switch v {
	case "node", "stable", "latest", "current":
		return "node:current", ""
	case "lts/*":
		return "node:lts", ""
	}
	if strings.HasPrefix(v, "lts/") {
		return "node:" + strings.TrimPrefix(v, "lts/"), ""
	}
	if numericVersion.MatchString(v) {
		return "node:" + strings.TrimPrefix(v, "v"), ""
	}
	return "node:current", "node " + v + " has no official image; using node:current"
}

// pypyVersion is a pinned PyPy: its Python version, then optionally PyPy's own release.
var pypyVersion = lazyre.New(`^pypy[23]\.[0-9]+(-[0-9]+\.[0-9]+\.[0-9]+)?$`)

func pythonImage(v string) (string, string) {
	switch {
	case pypyVersion.MatchString(v):
		// Travis's pypyX.Y[-A.B.C] names the pypy image tag X.Y[-A.B.C]
		return "pypy:" + strings.TrimPrefix(v, "pypy"), ""
	case v == "pypy" || v == "pypy2" || strings.HasPrefix(v, "pypy2."):
		return "pypy:2", ""
	case strings.HasPrefix(v, "pypy3"):
		return "pypy:3", ""
	case v == "nightly" || strings.HasSuffix(v, "-dev"):
		return "python:rc", "python " + v + ": using the release-candidate image python:rc"
	case numericVersion.MatchString(v):
		return "python:" + v, ""
	}
	return "python:" + v, "python " + v + " may have no official image tag"
}

func goImage(v string) (string, string) {
	switch v {
	case "tip", "master", "stable", "latest":
		return "golang:1", "go " + v + ": using the newest Go 1 release (golang:1)"
	}
	t := trimX(v)
	if numericVersion.MatchString(t) {
		return "golang:" + t, ""
	}
	return "golang:1", "go " + v + " has no official image; using golang:1"
}

// jdkMajor pulls N out of openjdkN / oraclejdkN / jdkN / openjdk-N.
func jdkMajor(v string) int {
	m := regexp.MustCompile(`([0-9]+)`).FindString(v)
	n, _ := strconv.Atoi(m)
	return n
}

var temurin = []int{8, 11, 17, 21, 25}

func jdkImage(prefix string, suffix ...string) func(string) (string, string) {
	suf := strings.Join(suffix, "")
	return func(v string) (string, string) {
		if v == "default" || v == "" {
			return prefix + "11" + suf, "jdk default: the image's JDK (openjdk11 on Travis focal/jammy)"
		}
		n := jdkMajor(v)
		for _, t := range temurin {
			if n == t {
				return fmt.Sprintf("%s%d%s", prefix, t, suf), ""
			}
		}
		for _, t := range temurin {
			if n < t {
				return fmt.Sprintf("%s%d%s", prefix, t, suf), fmt.Sprintf("jdk %s has no eclipse-temurin image; using JDK %d", v, t)
			}
		}
		return fmt.Sprintf("%s%d%s", prefix, temurin[len(temurin)-1], suf), fmt.Sprintf("jdk %s: using the newest JDK image", v)
	}
}

func scalaImage(v string) (string, string) {
	return "sbtscala/scala-sbt:eclipse-temurin-17.0.13_11_1.10.7_" + v, "scala " + v + ": sbtscala/scala-sbt is the sbt project's image (not Docker Official)"
}

func phpImage(v string) (string, string) {
	switch {
	case v == "nightly" || v == "master":
		return "php:rc-cli", "php " + v + ": using the release-candidate image php:rc-cli"
	case numericVersion.MatchString(v):
		return "php:" + v + "-cli", ""
	}
	return "php:8-cli", "php " + v + " has no official image; using php:8-cli"
}

// rustChannel: a toolchain rustup installs over the image (travis-build runs rustup for
// every version): beta, nightly, or a dated nightly-YYYY-MM-DD / beta-YYYY-MM-DD.
var rustChannel = lazyre.New(`^(beta|nightly)(-[0-9]{4}-[0-9]{2}-[0-9]{2})?$`)

func rustImage(v string) (string, string) {
	switch {
	case v == "stable" || v == "":
		return "rust:1", "" // the newest stable release
	case rustChannel.MatchString(v):
		return "rust:1", "" // the setup line installs the channel with rustup, as travis-build does
	}
	if numericVersion.MatchString(v) {
		return "rust:" + v, ""
	}
	return "rust:1", "rust " + v + ": using the newest stable release (rust:1)"
}

// gccVersion is a versioned GCC compiler: gcc-9, g++-4.9. The official gcc image of that
// version has it as plain gcc/g++.
var gccVersion = lazyre.New(`^(?:gcc|g\+\+)-([0-9]+(?:\.[0-9]+)?)$`)

// compilerName is a compiler name safe to write into the script unquoted.
var compilerName = lazyre.New(`^[A-Za-z0-9_.+-]+$`)

// plainCompiler reports the compiler names travis-build maps to the image's own gcc or clang.
func plainCompiler(v string) bool {
	switch v {
	case "", "gcc", "g++", "clang", "clang++":
		return true
	}
	return false
}

// erlangImage: the official erlang images start at OTP 17 (docker-library/official-images
// #1309 built erlang:17.5.6.7 and 18.2.1); R-series releases (Travis's default R14B04) have none.
func erlangImage(v string) (string, string) {
	if strings.HasPrefix(v, "R") {
		return "erlang:17", "otp_release " + v + " predates the official erlang images; using the oldest, erlang:17 (OTP 17.5)"
	}
	return "erlang:" + v, ""
}

func cImage(v string) (string, string) {
	switch {
	case gccVersion.MatchString(v):
		return "gcc:" + gccVersion.FindStringSubmatch(v)[1], ""
	case strings.HasPrefix(v, "clang") && !plainCompiler(v):
		return "gcc:13", "compiler " + v + ": Debian's clang is installed, not that version"
	case !plainCompiler(v):
		return "gcc:13", "compiler " + v + " is not in the image: the job exports CC=" + v + " as travis-build did; install it in before_install"
	}
	return "gcc:13", ""
}

func rImage(v string) (string, string) {
	switch v {
	case "release", "devel", "":
		return "r-base:4", ""
	case "oldrel":
		return "r-base:3.6.3", ""
	}
	return "r-base:" + v, ""
}

func dotnetImage(v string) (string, string) {
	if numericVersion.MatchString(v) {
		return "mcr.microsoft.com/dotnet/sdk:" + v, ""
	}
	return "mcr.microsoft.com/dotnet/sdk:8.0", "dotnet " + v + ": using the .NET 8 SDK image"
}

func dImage(v string) (string, string) {
	return "dlang2/dmd-ubuntu:latest", "d " + v + ": dlang2/dmd-ubuntu is a community image"
}

// setupFor adds the version-specific setup travis-build does (rustup channels, compilers).
// goPath is the GOPATH entry travis-build prepends ($HOME/gopath there); it is on the
// pod's /workspace so the hook and deploy steps find the checkout's link too.
const goPath = "/workspace/gopath"

// goImport moves a Go job into GOPATH as travis-build does: the checkout is reached at
// GOPATH/src/<go_import_path> (default source host/slug), which becomes TRAVIS_BUILD_DIR,
// so GOPATH-mode builds import the commit under test, not a fresh download.
func goImport(importPath string) []string {
	dir := `"` + goPath + `/src/$travis_go_import"`
	path := `"github.com/$TRAVIS_REPO_SLUG"`
	if importPath != "" {
		path = shellQuote(importPath)
	}
	return []string{
		"travis_go_import=" + path,
		`mkdir -p "$(dirname ` + dir + `)" && ln -sfn "$TRAVIS_BUILD_DIR" ` + dir + ` && export TRAVIS_BUILD_DIR=` + dir + ` && cd "$TRAVIS_BUILD_DIR"`,
	}
}

func setupFor(l *language, version string) []string {
	switch l.name {
	case "rust":
		if rustChannel.MatchString(version) {
			return []string{"rustup toolchain install " + version + " --profile minimal && rustup default " + version}
		}
	case "c", "cpp":
		cc, cxx := "gcc", "g++"
		if l.name == "c" && !plainCompiler(version) && !gccVersion.MatchString(version) && !strings.HasPrefix(version, "clang") && compilerName.MatchString(version) {
			cc = version // travis-build's C script exports CC as the compiler named
		}
		if strings.HasPrefix(version, "clang") {
			cc, cxx = "clang", "clang++"
			return []string{"command -v clang >/dev/null || { apt-get update -qq && apt-get install -y -qq --no-install-recommends clang; }",
				"export CC=${CC:-" + cc + "} CXX=${CXX:-" + cxx + "}"}
		}
		return []string{"export CC=${CC:-" + cc + "} CXX=${CXX:-" + cxx + "}"}
	}
	return nil
}
