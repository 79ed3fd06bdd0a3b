// Package ownws gives concurrently running tasks their own directory of the source workspace,
// as Jenkins gives every concurrently running node its own workspace (@2, @3) and every cell of
// a multi-configuration job its own (<job>/<axis>=<value>): `git clean -dfx` or `gradle clean`
// in one can't hit another.
package ownws

import (
	"strings"

	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
)

// Dir is the directory of the source workspace that holds the concurrent tasks' own copies.
const Dir = ".tkn-ws"

// shared is the task workspace through which a concurrent task reads the shared source.
const shared = "shared"

const sourcePath = "$(workspaces." + pipeline.SourceWorkspace + ".path)"

// Branch makes the tasks of one branch (run in order) mount Dir/<name> of the source
// workspace, the first one copying the shared workspace in. It returns that subPath, or ""
// when no task mounts the source.
func Branch(tasks []*pipeline.Task, name string) string {
	sub := Dir + "/" + pipeline.Sanitize(name)
	copied := false
	for _, t := range tasks {
		if t.Ref != nil {
			for i := range t.Workspaces {
				if t.Workspaces[i].Value == pipeline.SourceWorkspace {
					t.Workspaces[i].SubPath = sub
				}
			}
			continue
		}
		if !usesSource(t) {
			continue
		}
		t.Workspaces = append([]pipeline.Binding{{Name: pipeline.SourceWorkspace, Value: pipeline.SourceWorkspace, SubPath: sub}}, t.Workspaces...)
		if !copied {
			t.Workspaces = append(t.Workspaces, pipeline.Binding{Name: shared, Value: pipeline.SourceWorkspace, ReadOnly: true})
			t.Steps = append([]pipeline.Step{copyStep(sourcePath, t.Steps)}, t.Steps...)
			copied = true
		}
	}
	if !copied {
		return ""
	}
	return sub
}

// Cells gives every cell of a matrix task its own directory: the task mounts Dir/<task>, and
// each cell copies the shared workspace into a directory named after its axis values (the
// task's params) and works there. It reports whether it changed the task.
func Cells(t *pipeline.Task, params []string) bool {
	if t.Ref != nil || !usesSource(t) || len(params) == 0 {
		return false
	}
	parts := make([]string, len(params))
	for i, p := range params {
		parts[i] = "$(params." + p + ")"
	}
	cell := sourcePath + "/" + strings.Join(parts, "-")
	for i := range t.Steps {
		st := &t.Steps[i]
		switch {
		case st.WorkingDir == "":
			st.WorkingDir = cell
		case strings.HasPrefix(st.WorkingDir, sourcePath):
			st.WorkingDir = cell + strings.TrimPrefix(st.WorkingDir, sourcePath)
		}
		for j := range st.Env {
			if st.Env[j].Value == sourcePath {
				st.Env[j].Value = cell // WORKSPACE
			}
		}
	}
	t.Workspaces = append([]pipeline.Binding{{Name: pipeline.SourceWorkspace, Value: pipeline.SourceWorkspace, SubPath: Dir + "/" + t.Name}}, t.Workspaces...)
	t.Workspaces = append(t.Workspaces, pipeline.Binding{Name: shared, Value: pipeline.SourceWorkspace, ReadOnly: true})
	t.Steps = append([]pipeline.Step{copyStep(cell, t.Steps)}, t.Steps...)
	return true
}

// usesSource reports whether an inline task mounts the source workspace writable (guard
// tasks mount it read-only).
func usesSource(t *pipeline.Task) bool {
	for _, w := range t.Workspaces {
		if w.Name == pipeline.SourceWorkspace {
			return !w.ReadOnly && w.SubPath == ""
		}
	}
	return true
}

// copyStep copies the shared workspace, without the other tasks' copies, into dest. It has the
// env of the step after it too, so a stage's shared env still goes once into the stepTemplate.
func copyStep(dest string, next []pipeline.Step) pipeline.Step {
	var env []pipeline.Env
	if len(next) > 0 {
		env = append(env, next[0].Env...)
	}
	return pipeline.Step{Name: "own-workspace", WorkingDir: "$(workspaces." + shared + ".path)",
		Comments: []string{"a concurrent task gets its own copy of the workspace, as each concurrent Jenkins node gets its own"},
		Env:      append(env, pipeline.Env{Name: "TKN_OWN", Value: dest}),
		Script:   "mkdir -p \"$TKN_OWN\"\ntar -cf - --exclude=./" + Dir + " . | tar -xf - -C \"$TKN_OWN\"\n"}
}
