// compose-config loads a compose file the way `docker compose config` does, with compose-go (the library the
// docker compose CLI is built on): YAML anchors and merges, variable interpolation, validation against the
// compose-spec JSON schema, consistency checks and normalisation. It prints the resulting project as JSON, with
// the variables that are referenced without a default and not set, for tests/deploy to check.
//
//	compose-config <working-dir> [NAME=value ...] < docker-compose.yml
//
// The interpolation environment is NAME=value arguments only (a fresh shell, no .env file), so the output is what
// a plain `docker compose up` on a new machine gets. Exit 1 with the loader's message when the file is invalid.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/template"
	"github.com/compose-spec/compose-go/v2/types"
)

type output struct {
	Project *types.Project `json:"project"`
	// Referenced as ${NAME} (no default) and not in the environment: compose would use an empty string.
	Unset []string `json:"unset"`
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run() error {
	if len(os.Args) < 2 {
		return fmt.Errorf("usage: compose-config <working-dir> [NAME=value ...] < compose.yml")
	}
	env := types.Mapping{}
	for _, pair := range os.Args[2:] {
		name, value, ok := strings.Cut(pair, "=")
		if !ok {
			return fmt.Errorf("%q is not NAME=value", pair)
		}
		env[name] = value
	}
	content, err := io.ReadAll(os.Stdin)
	if err != nil {
		return err
	}
	details := types.ConfigDetails{
		WorkingDir:  os.Args[1],
		ConfigFiles: []types.ConfigFile{{Filename: "docker-compose.yml", Content: content}},
		Environment: env,
	}
	ctx := context.Background()

	raw, err := loader.LoadModelWithContext(ctx, details, func(o *loader.Options) {
		o.SkipInterpolation = true
		o.SkipValidation = true
		o.SkipNormalization = true
		o.SkipConsistencyCheck = true
	})
	if err != nil {
		return err
	}
	unset := []string{}
	for name, variable := range template.ExtractVariables(raw, template.DefaultPattern) {
		if _, set := env[name]; !set && variable.DefaultValue == "" && variable.PresenceValue == "" && !variable.Required {
			unset = append(unset, name)
		}
	}
	sort.Strings(unset)

	project, err := loader.LoadWithContext(ctx, details, func(o *loader.Options) {
		o.SetProjectName("relationship", false)
	})
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(output{Project: project, Unset: unset})
}
