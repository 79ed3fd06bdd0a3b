package tools

import "testing"

func TestImage(t *testing.T) {
	cases := []struct {
		set   Set
		image string
		exact bool
	}{
		{Set{}, Default, true},
		{Set{JDK: "jdk17"}, "docker.io/library/eclipse-temurin:17-jdk", true},
		{Set{JDK: "JDK 1.8"}, "docker.io/library/eclipse-temurin:8-jdk", true},
		{Set{JDK: "default"}, "docker.io/library/eclipse-temurin:17-jdk", false},
		{Set{Maven: "M3", JDK: "jdk-21"}, "docker.io/library/maven:3-eclipse-temurin-21", true},
		{Set{Maven: "maven"}, "docker.io/library/maven:3-eclipse-temurin-17", false},
		{Set{Gradle: "gradle-8.5", JDK: "jdk11"}, "docker.io/library/gradle:8-jdk11", true},
		{Set{NodeJS: "node20"}, "docker.io/library/node:20", true},
		{Set{NodeJS: "node20", JDK: "jdk17"}, "docker.io/library/node:20", false},
		{Set{Go: "go1.22"}, "docker.io/library/golang:1.22", true},
	}
	for _, c := range cases {
		img, exact := c.set.Image()
		if img != c.image || exact != c.exact {
			t.Errorf("%+v: got %s %v, want %s %v", c.set, img, exact, c.image, c.exact)
		}
	}
}

func TestWith(t *testing.T) {
	s := Set{}.With("maven", "M3").With("jdk", "jdk17").With("unknown", "x")
	if s != (Set{Maven: "M3", JDK: "jdk17"}) {
		t.Errorf("got %+v", s)
	}
	if !Known("nodejs") || Known("ant") {
		t.Error("Known")
	}
}
