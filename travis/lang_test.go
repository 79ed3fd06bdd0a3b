package travis

import (
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/validate"
)

// checklist is converter-anchors.md §4.2's language list.
var checklist = []string{"android", "c", "clojure", "cpp", "crystal", "csharp", "d", "dart", "elixir", "elm",
	"erlang", "generic", "go", "groovy", "hack", "haskell", "haxe", "java", "julia", "matlab", "nix", "node_js",
	"objective-c", "perl", "perl6", "php", "python", "r", "ruby", "rust", "scala", "shell", "sh", "bash",
	"minimal", "smalltalk", "jvm", "javascript", "golang", "swift", "c++"}

// TestLanguages: every language converts to valid Tekton with an image and, unless
// travis-build has none, a default script.
func TestLanguages(t *testing.T) {
	for _, l := range checklist {
		c, err := build(convert.Source{Path: "x/.travis.yml", Data: []byte("language: " + l + "\n")})
		if err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		p, err := c.pipeline()
		if err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		task := p.Tasks[len(p.Tasks)-1]
		step := task.Steps[len(task.Steps)-1]
		if l == "objective-c" || l == "swift" {
			// macOS jobs: left out, loudly (no Kubernetes node runs macOS)
			if task.Name != "unsupported-os" || !hasFinding(c.findings, "travis/os", convert.Unsupported) {
				t.Errorf("%s: want the unsupported-os task and a travis/os finding, got task %s", l, task.Name)
			}
			continue
		}
		if task.Image == "" || strings.Contains(task.Image, "$(") {
			t.Errorf("%s: image %q", l, task.Image)
		}
		hasScript := strings.Contains(step.Script, "# script:")
		none := map[string]bool{"generic": true, "shell": true, "sh": true, "bash": true, "minimal": true, "hack": true}
		if hasScript == none[l] {
			t.Errorf("%s: default script present=%v", l, hasScript)
		}
		res, err := Converter{}.Convert(convert.Source{Path: "x/.travis.yml", Data: []byte("language: " + l + "\n")}, convert.Options{Placeholders: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range res.Files {
			if err := validate.Documents(f.Path, f.Data); err != nil {
				t.Errorf("%s: %v", l, err)
			}
		}
	}
}

// TestDefaultsAndImages pins the documented defaults and version-to-image mapping.
func TestDefaultsAndImages(t *testing.T) {
	cases := []struct {
		src, image string
		want       []string
	}{
		{"", "ruby:3.3", []string{"bundle install --jobs=3 --retry=3", "bundle exec rake", "rake"}},
		{"language: node_js\nnode_js: '18'", "node:18", []string{"npm ci", "npm install", "yarn --frozen-lockfile", "npm test"}},
		{"language: python\npython: '3.10'", "python:3.10", []string{"pip install -r requirements.txt", "Please override the script: key"}},
		{"language: java\njdk: openjdk17", "maven:3-eclipse-temurin-17", []string{"./gradlew assemble", "mvn install -DskipTests=true -Dmaven.javadoc.skip=true -B -V", "./gradlew check", "mvn test -B"}},
		{"language: go\ngo: 1.21", "golang:1.21", []string{"go get -v -t ./...", "go test -v ./...", "make"}},
		{"language: go\ngo: 1.15.x", "golang:1.15", nil},
		{"language: ruby\nrvm: jruby-9.2.11.1", "jruby:9.2.11.1", nil},
		{"language: rust\nrust: nightly", "rust:1", []string{"rustup toolchain install nightly --profile minimal && rustup default nightly", "cargo build --verbose", "cargo test --verbose"}},
		{"language: cpp\ncompiler: clang", "gcc:13", []string{"apt-get install -y -qq --no-install-recommends clang", "CXX=${CXX:-clang++}", "./configure && make && make test"}},
		{"language: php\nphp: '8.2'", "php:8.2-cli", []string{"getcomposer.org/installer", "vendor/bin/phpunit"}},
		{"language: python\npython: pypy3", "pypy:3", nil},
		{"language: node_js\nnode_js: lts/*", "node:lts", nil},
		{"language: csharp\nsolution: App.sln", "mcr.microsoft.com/dotnet/sdk:8.0", []string{"dotnet restore 'App.sln'", "dotnet msbuild /p:Configuration=Release 'App.sln'"}},
		{"language: minimal\ndist: jammy", "ubuntu:22.04", nil},
	}
	for _, c := range cases {
		task := model(t, c.src+"\n").Tasks[0]
		if task.Image != c.image {
			t.Errorf("%q: image %s, want %s", c.src, task.Image, c.image)
		}
		for _, w := range c.want {
			if !strings.Contains(task.Steps[len(task.Steps)-1].Script, w) {
				t.Errorf("%q: script lacks %q", c.src, w)
			}
		}
	}
}

func hasFinding(fs []convert.Finding, rule string, class convert.Class) bool {
	for _, f := range fs {
		if f.Rule == rule && f.Class == class {
			return true
		}
	}
	return false
}
