package main

import (
	"fmt"
	"os"

	"gopkg.in/yaml.v3"
)

// loadMapping reads a --mapping file; the Jenkins front-end interprets its contents.
func loadMapping(path string) (map[string]any, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := yaml.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}
