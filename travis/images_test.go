package travis

import (
	"os"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// TestImageTable converts each row of IMAGES.md: the job's image, and the setup its
// script holds. Every language of the languages table has a row.
func TestImageTable(t *testing.T) {
	data, err := os.ReadFile("IMAGES.md")
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	rows := 0
	for _, line := range strings.Split(string(data), "\n") {
		cols := strings.Split(line, "|")
		if len(cols) != 5 || !strings.HasPrefix(strings.TrimSpace(cols[1]), "`{") {
			continue
		}
		rows++
		src := strings.Trim(strings.TrimSpace(cols[1]), "`")
		image := strings.Trim(strings.TrimSpace(cols[2]), "`")
		setup := strings.Trim(strings.TrimSpace(cols[3]), "`")
		t.Run(src, func(t *testing.T) {
			var m map[string]any
			if err := yaml.Unmarshal([]byte(src), &m); err != nil {
				t.Fatal(err)
			}
			l, _ := canonicalLanguage(m["language"].(string))
			covered[l] = true
			task := model(t, src+"\n").Tasks[0]
			if strings.HasPrefix(image, "(left out") {
				if task.Name != "unsupported-os" {
					t.Errorf("want the job left out, got task %s", task.Name)
				}
				return
			}
			if task.Image != image {
				t.Errorf("image %s, want %s", task.Image, image)
			}
			if setup != "" && !strings.Contains(stepOf(t, task, jobStep).Script, setup) {
				t.Errorf("the job's script lacks %q", setup)
			}
		})
	}
	for l := range languages {
		if !covered[l] {
			t.Errorf("language %s has no row in IMAGES.md", l)
		}
	}
	if rows < len(languages) {
		t.Errorf("%d rows for %d languages", rows, len(languages))
	}
}

// TestAndroidEmulatorFinding: a system image or an emulator command needs KVM, which a
// pod lacks by default: a manual finding says so; a plain SDK build gets none.
func TestAndroidEmulatorFinding(t *testing.T) {
	for src, want := range map[string]bool{
		"language: android\nandroid: {components: [android-30]}\n":                              false,
		"language: android\nandroid: {components: [sys-img-x86-android-30]}\n":                  true,
		"language: android\nscript: emulator -avd test -no-window & ./gradlew connectedCheck\n": true,
	} {
		res, err := Converter{}.Convert(convert.Source{Path: "x/.travis.yml", Data: []byte(src)}, convert.Options{Placeholders: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := hasFinding(res.Findings, "travis/android-emulator", convert.Manual); got != want {
			t.Errorf("%q: emulator finding %v, want %v", src, got, want)
		}
	}
}
