package jenkins

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/jenkins/model"
)

// jenkinsCells is pipeline-model-definition's own expansion (RuntimeASTTransformer expandAxes
// and filterExcludes), transcribed: for each exclude, start from every cell and drop those an
// axis does not select (`!inverse ^ values.contains(value)`); what is left is excluded.
func jenkinsCells(axes []model.Axis, excludes [][]model.AxisCond) []string {
	result := []map[string]string{{}}
	for _, a := range axes {
		var next []map[string]string
		for _, v := range a.Values {
			for _, prev := range result {
				g := map[string]string{}
				for k, x := range prev {
					g[k] = x
				}
				g[a.Name] = v
				next = append(next, g)
			}
		}
		result = next
	}
	for _, ex := range excludes {
		filter := append([]map[string]string(nil), result...)
		for _, ax := range ex {
			var keep []map[string]string
			for _, cell := range filter {
				v, has := cell[ax.Name]
				contains := false
				for _, x := range ax.Values {
					contains = contains || has && x == v
				}
				if !(!ax.Not != contains) { // removeAll { !inverse ^ contains }
					keep = append(keep, cell)
				}
			}
			filter = keep
		}
		var left []map[string]string
		for _, cell := range result {
			drop := false
			for _, f := range filter {
				drop = drop || fmt.Sprint(f) == fmt.Sprint(cell)
			}
			if !drop {
				left = append(left, cell)
			}
		}
		result = left
	}
	out := make([]string, len(result))
	for i, cell := range result {
		vals := make([]string, len(axes))
		for j, a := range axes {
			vals[j] = cell[a.Name]
		}
		out[i] = cellName(axes, vals)
	}
	return out
}

// ourCells is what the converter lists: every cell in Jenkins' order, minus the excluded ones.
func ourCells(m *model.Matrix) []string {
	var out []string
	for _, cell := range cells(m.Axes) {
		if !excluded(cell, m.Axes, m.Excludes) {
			out = append(out, cellName(m.Axes, cell))
		}
	}
	return out
}

// TestMatrixCellsAsJenkins: the cells kept match Jenkins' own expansion, in its order, for the
// documented example (syntax.adoc: 24 cells, 15 left), notValues on its own, and every matrix
// of the corpus.
func TestMatrixCellsAsJenkins(t *testing.T) {
	cases := map[string]int{
		// jenkins.io syntax.adoc "Matrix" example: 3×4×2 = 24 cells, 15 after its three excludes.
		`pipeline { agent none
  stages { stage('m') { matrix {
    axes {
      axis { name 'PLATFORM'; values 'linux', 'windows', 'mac' }
      axis { name 'ARCHITECTURE'; values '32-bit', '64-bit' }
      axis { name 'BROWSER'; values 'firefox', 'chrome', 'safari', 'edge' }
    }
    excludes {
      exclude {
        axis { name 'PLATFORM'; values 'mac' }
        axis { name 'ARCHITECTURE'; values '32-bit' }
      }
      exclude {
        axis { name 'PLATFORM'; values 'linux' }
        axis { name 'BROWSER'; values 'safari' }
      }
      exclude {
        axis { name 'PLATFORM'; notValues 'windows' }
        axis { name 'BROWSER'; values 'edge' }
      }
    }
    stages { stage('s') { steps { echo 'x' } } }
  } } } }`: 15,
		// notValues alone keeps only the listed values: 2×5 = 10 cells, 5 run.
		`pipeline { agent none
  stages { stage('m') { matrix {
    axes {
      axis { name 'OS'; values 'linux', 'windows' }
      axis { name 'JDK'; values '8', '11', '17', '21', '25' }
    }
    excludes {
      exclude { axis { name 'OS'; notValues 'linux' } }
    }
    stages { stage('s') { steps { echo 'x' } } }
  } } } }`: 5,
	}
	files, _ := filepath.Glob(filepath.Join(corpusRoot, "*", "*matrix*"))
	for _, f := range files {
		if strings.HasSuffix(f, ".json") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		cases[string(data)] = -1
	}
	matrices := 0
	for src, want := range cases {
		mf, err := parseFile("Jenkinsfile", []byte(src))
		if err != nil || mf.Pipeline == nil {
			continue
		}
		var walk func(ss []*model.Stage)
		walk = func(ss []*model.Stage) {
			for _, s := range ss {
				if s.Matrix != nil && len(s.Matrix.Axes) > 0 {
					matrices++
					j, o := jenkinsCells(s.Matrix.Axes, s.Matrix.Excludes), ourCells(s.Matrix)
					if strings.Join(j, "\n") != strings.Join(o, "\n") {
						t.Errorf("matrix at line %d: Jenkins runs %d cells %v, we list %d %v", s.Line, len(j), j, len(o), o)
					}
					if want >= 0 && len(o) != want {
						t.Errorf("matrix at line %d: %d cells, want %d", s.Line, len(o), want)
					}
				}
				walk(s.Stages)
				walk(s.Parallel)
			}
		}
		walk(mf.Pipeline.Stages)
	}
	if min := 2; matrices < min || len(files) > 0 && matrices <= min { // our 2 cases, plus the corpus's when present
		t.Fatalf("only %d matrices checked", matrices)
	}
	t.Logf("%d matrices: cells as Jenkins expands them", matrices)
}
