package travis

import (
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// androidSDKImage carries the Android command-line tools and sdkmanager (Travis's android
// images had the SDK preinstalled); the Cirrus Labs images are the maintained ones.
const androidSDKImage = "ghcr.io/cirruslabs/android-sdk:34"

func androidImage(v string) (string, string) {
	note := "android: the Cirrus Labs Android SDK image (JDK 17; not a Docker Official image)"
	if v != "default" && v != "" {
		note += "; jdk " + v + " is not applied"
	}
	return androidSDKImage, note
}

// sdkPackage maps an android.components name (Travis's old `android update sdk` ids) to
// its sdkmanager package path.
func sdkPackage(c string) string {
	switch {
	case c == "tools" || c == "platform-tools" || c == "emulator":
		return c
	case strings.HasPrefix(c, "build-tools-"):
		return "build-tools;" + strings.TrimPrefix(c, "build-tools-")
	case strings.HasPrefix(c, "android-"):
		return "platforms;" + c
	case strings.HasPrefix(c, "extra-"):
		return "extras;" + strings.ReplaceAll(strings.TrimPrefix(c, "extra-"), "-", ";")
	case strings.HasPrefix(c, "sys-img-"):
		// sys-img-<abi>-android-<api> (abi may hold dashes: armeabi-v7a)
		rest := strings.TrimPrefix(c, "sys-img-")
		if i := strings.LastIndex(rest, "-android-"); i > 0 {
			return "system-images;android-" + rest[i+len("-android-"):] + ";default;" + rest[:i]
		}
	}
	return ""
}

// toolSetup installs what the job's image lacks and its commands need: cmake for C and
// C++ (gcc images have none), and the android.components with sdkmanager.
func (c *conv) toolSetup(j *job) []string {
	var out []string
	text := j.commandsText()
	if (j.langName == "c" || j.langName == "cpp") && uses(text, "cmake") {
		out = append(out, "command -v cmake >/dev/null || { apt-get update -qq && apt-get install -y -qq --no-install-recommends cmake; }")
		c.finding(j.pos, convert.Approximated, "travis/image", "cmake: the gcc image has none, so the job installs it with apt-get first (Travis images had it)")
	}
	if j.langName != "android" {
		return out
	}
	var pkgs []string
	emulator := uses(text, "emulator")
	if a := j.get("android"); a != nil && a.Kind == yaml.MappingNode {
		comps, _ := scalars(asMap(a).get("components"))
		for _, comp := range comps {
			p := sdkPackage(comp)
			if p == "" {
				c.finding(a, convert.Manual, "travis/android", "android.components: %s has no sdkmanager package here; install it in before_install", comp)
				continue
			}
			emulator = emulator || strings.HasPrefix(p, "system-images;") || p == "emulator"
			pkgs = append(pkgs, shellQuote(p))
		}
		if ls, ok := scalars(asMap(a).get("licenses")); ok && len(ls) > 0 {
			c.finding(a, convert.Converted, "travis/android", "android.licenses: sdkmanager --licenses accepts every license")
		}
	}
	if len(pkgs) > 0 {
		out = append(out, "yes | sdkmanager --licenses >/dev/null", "sdkmanager "+strings.Join(pkgs, " "))
	}
	if emulator {
		c.finding(j.pos, convert.Manual, "travis/android-emulator", "the Android emulator needs KVM (/dev/kvm): schedule the task on nodes with nested virtualisation and expose the device, or run the instrumented tests on a device farm")
	}
	return out
}

// vmTools were preinstalled on Travis's VM images and are in none of the job images.
var vmTools = []string{"nvm", "rvm", "rbenv", "pyenv", "phpenv", "jdk_switcher", "gimme"}

// reportVMTools names each command calling a vmTool: it fails in the pod unless an
// earlier command installs the tool.
func (c *conv) reportVMTools(j *job) {
	for _, tool := range vmTools {
		for _, k := range phaseKeys {
			i := slices.IndexFunc(j.phases[k].cmds, func(cm cmd) bool { return uses(cm.text, tool) })
			if i < 0 {
				continue
			}
			cm := j.phases[k].cmds[i]
			msg := sprintf("%s: %s was preinstalled on Travis's VM images; the job's image has none, so the command fails unless an earlier one installs it", k, tool)
			c.finding(&yaml.Node{Line: cm.line, Column: cm.col}, convert.Manual, "travis/vm-tool", "%s", msg)
			c.markers = append(c.markers, c.marker("manual", msg, cm.line))
			break
		}
	}
}
