package tfcli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
)

// EnvCLI names the CLI to run: a command on PATH (terraform, tofu) or a path. The GNUmakefile
// passes it to every target that runs one; unset, plugin-testing's TF_ACC_TERRAFORM_PATH and
// then terraform on PATH are used.
const EnvCLI = "TF_CLI"

// Flavour says whose CLI it is: their registries and feature releases differ.
type Flavour string

const (
	Terraform Flavour = "Terraform"
	OpenTofu  Flavour = "OpenTofu"
)

// CLI is one Terraform-compatible binary and what its `version` said.
type CLI struct {
	Path    string
	Flavour Flavour
	Version Version
}

// Name is the command's usual name, for messages: terraform or tofu.
func (c CLI) Name() string {
	if c.Flavour == OpenTofu {
		return "tofu"
	}
	return "terraform"
}

func (c CLI) String() string { return fmt.Sprintf("%s %s (%s)", c.Flavour, c.Version, c.Path) }

// DefaultRegistry is the host a provider source without one (codescanning/codescanning)
// resolves to under this CLI.
func (c CLI) DefaultRegistry() string {
	if c.Flavour == OpenTofu {
		return "registry.opentofu.org"
	}
	return "registry.terraform.io"
}

// Find returns the CLI that TF_CLI names, else TF_ACC_TERRAFORM_PATH, else terraform on PATH.
func Find() (CLI, error) {
	name := os.Getenv(EnvCLI)
	if name == "" {
		name = os.Getenv("TF_ACC_TERRAFORM_PATH")
	}
	if name == "" {
		name = "terraform"
	}
	return Open(name)
}

// Open runs `NAME version` and returns the CLI it describes.
func Open(name string) (CLI, error) {
	path, err := exec.LookPath(name)
	if err != nil {
		return CLI{}, fmt.Errorf("%s: %w; set %s to terraform, tofu or a path (`make clis` builds the pinned OpenTofu and oldest Terraform into ./bin)", name, err, EnvCLI)
	}
	cmd := exec.Command(path, "version")
	// Its own CLI config, or it warns about the machine's missing one on stderr.
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+os.DevNull, "CHECKPOINT_DISABLE=1")
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		return CLI{}, fmt.Errorf("%s version: %w", path, err)
	}
	flavour, v, err := parseVersionOutput(out.String())
	if err != nil {
		return CLI{}, fmt.Errorf("%s version: %w", path, err)
	}
	return CLI{Path: path, Flavour: flavour, Version: v}, nil
}

var versionLine = regexp.MustCompile(`^(Terraform|OpenTofu) v(\d+)\.(\d+)\.(\d+)(-\S+)?`)

// parseVersionOutput finds the version line of `terraform version` or `tofu version`; a problem
// with the CLI configuration is reported on stdout before it.
func parseVersionOutput(out string) (Flavour, Version, error) {
	var m []string
	for _, line := range strings.Split(out, "\n") {
		if m = versionLine.FindStringSubmatch(line); m != nil {
			break
		}
	}
	if m == nil {
		first, _, _ := strings.Cut(strings.TrimSpace(out), "\n")
		return "", Version{}, fmt.Errorf("not Terraform or OpenTofu: its version output starts %q", first)
	}
	var v Version
	for i, s := range m[2:5] {
		n, err := strconv.Atoi(s)
		if err != nil {
			return "", Version{}, err
		}
		v[i] = n
	}
	return Flavour(m[1]), v, nil
}

// Version is a release's major, minor and patch number (a pre-release counts as its release).
type Version [3]int

func (v Version) String() string { return fmt.Sprintf("%d.%d.%d", v[0], v[1], v[2]) }

// AtLeast reports whether v is o or newer.
func (v Version) AtLeast(o Version) bool {
	for i := range v {
		if v[i] != o[i] {
			return v[i] > o[i]
		}
	}
	return true
}

// Feature is a CLI feature the examples or tests use, with the first release of each CLI that
// has it. OpenTofu forked from Terraform 1.5 and numbers its releases on its own, so the two
// columns are read from each project's changelog, not derived from one another.
type Feature struct {
	Name                string
	Terraform, OpenTofu Version
}

var (
	// ImportBlocks: `import` blocks and `plan -generate-config-out` (Terraform 1.5, OpenTofu 1.6).
	ImportBlocks = Feature{"import blocks and plan -generate-config-out", Version{1, 5, 0}, Version{1, 6, 0}}
	// TestCommand: `terraform test` / `tofu test` with .tftest.hcl files (Terraform 1.6, OpenTofu 1.6).
	TestCommand = Feature{"the test command (.tftest.hcl)", Version{1, 6, 0}, Version{1, 6, 0}}
	// ImportForEach: `for_each` in an import block (Terraform 1.7, OpenTofu 1.7).
	ImportForEach = Feature{"for_each in import blocks", Version{1, 7, 0}, Version{1, 7, 0}}
	// RemovedBlocks: `removed` blocks, which forget a resource without destroying it (Terraform
	// 1.7, OpenTofu 1.7).
	RemovedBlocks = Feature{"removed blocks", Version{1, 7, 0}, Version{1, 7, 0}}
	// RemovedBlockLifecycle: `lifecycle { destroy = false }` in a removed block (Terraform 1.7,
	// where a removed block needs it to forget; OpenTofu 1.10, whose removed blocks before it
	// always forget and refuse the block).
	RemovedBlockLifecycle = Feature{"lifecycle in removed blocks", Version{1, 7, 0}, Version{1, 10, 0}}
)

// ErrUnsupported is wrapped by Supports' error when the CLI is older than the feature.
var ErrUnsupported = errors.New("CLI too old for this feature")

// Supports returns nil if the CLI has the feature, else an error that says which release does.
func (c CLI) Supports(f Feature) error {
	need := f.Terraform
	if c.Flavour == OpenTofu {
		need = f.OpenTofu
	}
	if c.Version.AtLeast(need) {
		return nil
	}
	return fmt.Errorf("%w: %s needs %s %s or newer, this is %s", ErrUnsupported, f.Name, c.Flavour, need, c.Version)
}
