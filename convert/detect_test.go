package convert

import "testing"

func TestDetectXML(t *testing.T) {
	const prolog = "<?xml version='1.1' encoding='UTF-8'?>\n"
	cases := []struct {
		path, data string
		want       Kind
	}{
		// Job roots, under any .xml name.
		{"jobs/a/config.xml", prolog + "<project>\n</project>", KindJenkinsXML},
		{"job.xml", prolog + "<project>\n</project>", KindJenkinsXML},
		{"job.xml", "<flow-definition plugin=\"workflow-job@2.40\">", KindJenkinsXML},
		{"mb.xml", prolog + "<org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject plugin=\"x\">", KindJenkinsXML},
		{"mb.xml", "<org.jenkinsci.plugins.pipeline.multibranch.defaults.PipelineMultiBranchDefaultsProject>", KindJenkinsXML},
		{"folder.xml", "<com.cloudbees.hudson.plugins.folder.Folder plugin=\"cloudbees-folder@6.2.0\">", KindJenkinsXML},
		{"org.xml", "<jenkins.branch.OrganizationFolder/>", KindJenkinsXML},
		// config.xml takes any root: the converter reports what it does not know.
		{"jobs/a/config.xml", prolog + "<some.plugin.UnknownItem>\n</some.plugin.UnknownItem>", KindJenkinsXML},
		{"config.xml", "\xef\xbb\xbf<!-- generated -->\n<!DOCTYPE x>\n<x/>", KindJenkinsXML},
		// Other names need a job root, and it must be the root, not any element.
		{"other.xml", prolog + "<some.plugin.UnknownItem/>", KindUnknown},
		{"other.xml", prolog + "<list>\n  <project>\n  </project>\n</list>", KindUnknown},
		{"Project.xml", "<projects/>", KindUnknown},
		// XStream writes no namespaces: a Maven POM or a Cordova config.xml is no Jenkins item.
		{"pom.xml", "<?xml version=\"1.0\"?>\n<project xmlns=\"http://maven.apache.org/POM/4.0.0\">", KindUnknown},
		{"config.xml", "<widget\n\txmlns=\"http://www.w3.org/ns/widgets\" id=\"x\">", KindUnknown},
		// Not XML at all.
		{"config.xml", "key = value\n", KindUnknown},
		{"config.xml", "", KindUnknown},
		{"config.xml", "<?xml version='1.0'", KindUnknown},
		{"config.xml", "<!-- unterminated", KindUnknown},
		{"config.xml", "< project>", KindUnknown},
		// Stdin needs a known root.
		{"-", "<com.cloudbees.hudson.plugins.folder.Folder>", KindJenkinsXML},
		{"-", "<x/>", KindUnknown},
	}
	for _, c := range cases {
		if got := Detect(c.path, []byte(c.data)); got != c.want {
			t.Errorf("Detect(%q, %q) = %q, want %q", c.path, c.data, got, c.want)
		}
	}
}

// A byte-order mark before the first key does not hide what a file is.
func TestDetectBOM(t *testing.T) {
	const bom = "\xef\xbb\xbf"
	for _, c := range []struct {
		path, data string
		want       Kind
	}{
		{"task.yaml", bom + "apiVersion: tekton.dev/v1beta1\nkind: Task\n", KindTekton},
		{"-", bom + "apiVersion: tekton.dev/v1beta1\nkind: Task\n", KindTekton},
		{"-", bom + "language: go\n", KindTravis},
		{"cm.yaml", bom + "apiVersion: v1\nkind: ConfigMap\n", KindUnknown},
	} {
		if got := Detect(c.path, []byte(c.data)); got != c.want {
			t.Errorf("Detect(%q, %q) = %s, want %s", c.path, c.data, got, c.want)
		}
	}
}

// Jenkinsfiles go by many names; a name alone makes one (the converter warns when it holds
// neither pipeline { nor node), while a *.groovy file needs that content.
func TestDetectJenkinsfileNames(t *testing.T) {
	const decl, scripted, other = "pipeline {\n}\n", "node('x') {\n}\n", "buildPlugin()\n"
	for _, c := range []struct {
		path, data string
		want       Kind
	}{
		{"Jenkinsfile", other, KindJenkinsfile},
		{"JenkinsFile", scripted, KindJenkinsfile},
		{"Jenkinsfile.release", decl, KindJenkinsfile},
		{"Jenkinsfile_nightly", decl, KindJenkinsfile},
		{"Jenkinsfile-PreCommit", scripted, KindJenkinsfile},
		{"ci/Jenkinsfile_docs", other, KindJenkinsfile},
		{"jenkins/build.jenkinsfile", decl, KindJenkinsfile},
		{".jenkins.groovy", decl, KindJenkinsfile},
		{"jenkins/release.groovy", scripted, KindJenkinsfile},
		{".jenkins/nightly.groovy", decl, KindJenkinsfile},
		{"ci/deploy.groovy", scripted, KindJenkinsfile},
		{"ci/helpers.groovy", "def x() {}\n", KindUnknown},
		{"JenkinsfileRunner", decl, KindUnknown},
		{"MyJenkinsfile", decl, KindUnknown},
	} {
		if got := Detect(c.path, []byte(c.data)); got != c.want {
			t.Errorf("Detect(%q, %q) = %q, want %q", c.path, c.data, got, c.want)
		}
	}
}
