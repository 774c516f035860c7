package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// These tests are the offline half of the release check (`make lint` runs `goreleaser check`,
// which knows GoReleaser's schema but not the registries): they hold .goreleaser.yml, the release
// workflow, the registry manifest and LICENSE to what the Terraform and OpenTofu registries
// read from a GitHub release.

const providerName = "terraform-provider-codescanning"

// goreleaserConfig is the part of .goreleaser.yml the registries depend on.
type goreleaserConfig struct {
	Version     int    `yaml:"version"`
	ProjectName string `yaml:"project_name"`
	Builds      []struct {
		Env     []string `yaml:"env"`
		Flags   []string `yaml:"flags"`
		Ldflags []string `yaml:"ldflags"`
		Goos    []string `yaml:"goos"`
		Goarch  []string `yaml:"goarch"`
		Ignore  []struct {
			Goos   string `yaml:"goos"`
			Goarch string `yaml:"goarch"`
		} `yaml:"ignore"`
		Binary string `yaml:"binary"`
	} `yaml:"builds"`
	Archives []struct {
		ID           string   `yaml:"id"`
		Formats      []string `yaml:"formats"`
		NameTemplate string   `yaml:"name_template"`
		Files        []string `yaml:"files"`
	} `yaml:"archives"`
	Checksum struct {
		NameTemplate string      `yaml:"name_template"`
		Algorithm    string      `yaml:"algorithm"`
		IDs          []string    `yaml:"ids"`
		ExtraFiles   []extraFile `yaml:"extra_files"`
	} `yaml:"checksum"`
	Signs []struct {
		Artifacts string   `yaml:"artifacts"`
		Args      []string `yaml:"args"`
	} `yaml:"signs"`
	Release struct {
		ExtraFiles []extraFile `yaml:"extra_files"`
	} `yaml:"release"`
}

type extraFile struct {
	Glob         string `yaml:"glob"`
	NameTemplate string `yaml:"name_template"`
}

func readGoreleaserConfig(t *testing.T) goreleaserConfig {
	t.Helper()
	b, err := os.ReadFile(".goreleaser.yml")
	if err != nil {
		t.Fatal(err)
	}
	var cfg goreleaserConfig
	if err := yaml.Unmarshal(b, &cfg); err != nil {
		t.Fatalf(".goreleaser.yml: %v", err)
	}
	return cfg
}

var templateField = regexp.MustCompile(`{{\s*\.(\w+)\s*}}`)

// render fills GoReleaser's {{ .Field }} placeholders the way a release of version 1.2.3 for
// linux/arm64 would, and leaves anything else as it is, so a template that is more than fields
// fails the comparison instead of passing by accident.
func render(template string) string {
	values := map[string]string{"ProjectName": providerName, "Version": "1.2.3", "Os": "linux", "Arch": "arm64"}
	return templateField.ReplaceAllStringFunc(template, func(m string) string {
		if v, ok := values[templateField.FindStringSubmatch(m)[1]]; ok {
			return v
		}
		return m
	})
}

func TestGoreleaserNamesWhatTheRegistriesRead(t *testing.T) {
	cfg := readGoreleaserConfig(t)
	if cfg.Version != 2 {
		t.Errorf("version = %d, want 2 (GoReleaser v2's configuration)", cfg.Version)
	}
	if cfg.ProjectName != providerName {
		t.Errorf("project_name = %q, want %q: otherwise GoReleaser names the zips after the checkout", cfg.ProjectName, providerName)
	}
	if len(cfg.Archives) != 1 {
		t.Fatalf("%d archives, want 1", len(cfg.Archives))
	}
	archive := cfg.Archives[0]
	if !slices.Equal(archive.Formats, []string{"zip"}) {
		t.Errorf("archive formats = %v, want [zip]: the registries take only zips", archive.Formats)
	}
	if got, want := render(archive.NameTemplate), providerName+"_1.2.3_linux_arm64"; got != want {
		t.Errorf("archive name_template %q gives %q, want %q (.zip is added)", archive.NameTemplate, got, want)
	}
	if got, want := render(cfg.Checksum.NameTemplate), providerName+"_1.2.3_SHA256SUMS"; got != want {
		t.Errorf("checksum name_template %q gives %q, want %q", cfg.Checksum.NameTemplate, got, want)
	}
	if cfg.Checksum.Algorithm != "sha256" {
		t.Errorf("checksum algorithm = %q, want sha256", cfg.Checksum.Algorithm)
	}
	wantManifest := providerName + "_1.2.3_manifest.json"
	for where, files := range map[string][]extraFile{"checksum": cfg.Checksum.ExtraFiles, "release": cfg.Release.ExtraFiles} {
		if !slices.ContainsFunc(files, func(f extraFile) bool {
			return f.Glob == "terraform-registry-manifest.json" && render(f.NameTemplate) == wantManifest
		}) {
			t.Errorf("%s.extra_files lacks terraform-registry-manifest.json as %s: the registries read the protocol versions from it", where, wantManifest)
		}
	}
}

func TestGoreleaserSignsTheChecksumsDetached(t *testing.T) {
	cfg := readGoreleaserConfig(t)
	if len(cfg.Signs) != 1 {
		t.Fatalf("%d signs, want 1", len(cfg.Signs))
	}
	sign := cfg.Signs[0]
	if sign.Artifacts != "checksum" {
		t.Errorf("signs.artifacts = %q, want checksum: the registries verify the SHA256SUMS file", sign.Artifacts)
	}
	args := strings.Join(sign.Args, " ")
	for _, want := range []string{"--detach-sign", "--output ${signature}", "${artifact}", "--local-user {{ .Env.GPG_FINGERPRINT }}", "--batch"} {
		if !strings.Contains(args, want) {
			t.Errorf("signs.args %q lack %q", args, want)
		}
	}
	// GoReleaser 2.15 refreshes the checksum file after signing it, adding every uploadable
	// artifact, the new signature among them, so the signature no longer matches the file
	// (gpg --verify: BAD signature). Only ids keep the signature out.
	if len(cfg.Archives) > 0 && (cfg.Archives[0].ID == "" || !slices.Equal(cfg.Checksum.IDs, []string{cfg.Archives[0].ID})) {
		t.Errorf("checksum.ids = %v, want exactly the archives' id (%q, which must be set): otherwise the signature's own line is added to SHA256SUMS after signing",
			cfg.Checksum.IDs, cfg.Archives[0].ID)
	}
	// The registries want a binary signature; an ASCII-armored one is refused.
	if strings.Contains(args, "--armor") || strings.Contains(args, "-a ") {
		t.Errorf("signs.args %q make an ASCII-armored signature, want a binary one", args)
	}
}

func TestGoreleaserBuildsWhatTerraformRuns(t *testing.T) {
	cfg := readGoreleaserConfig(t)
	if len(cfg.Builds) != 1 {
		t.Fatalf("%d builds, want 1", len(cfg.Builds))
	}
	b := cfg.Builds[0]
	if got, want := render(b.Binary), providerName+"_v1.2.3"; got != want {
		t.Errorf("binary %q gives %q, want %q: terraform looks for terraform-provider-NAME_vVERSION", b.Binary, got, want)
	}
	if !slices.Contains(b.Env, "CGO_ENABLED=0") {
		t.Errorf("env %v lacks CGO_ENABLED=0: a binary linked to libc fails where it differs", b.Env)
	}
	if ld := strings.Join(b.Ldflags, " "); !strings.Contains(render(ld), "-X main.version=1.2.3") {
		t.Errorf("ldflags %q do not stamp main.version: the provider would report %q", ld, "dev")
	}
	platforms := map[string]bool{}
	for _, goos := range b.Goos {
		for _, goarch := range b.Goarch {
			platforms[goos+"_"+goarch] = true
		}
	}
	for _, ig := range b.Ignore {
		delete(platforms, ig.Goos+"_"+ig.Goarch)
	}
	// What terraform itself ships for, so every terraform user finds a zip.
	for _, want := range []string{"darwin_amd64", "darwin_arm64", "linux_386", "linux_amd64", "linux_arm", "linux_arm64", "windows_386", "windows_amd64", "freebsd_amd64"} {
		if !platforms[want] {
			t.Errorf("no build for %s", want)
		}
	}
}

func TestRegistryManifestMatchesTheServedProtocol(t *testing.T) {
	b, err := os.ReadFile("terraform-registry-manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	var manifest struct {
		Version  int `json:"version"`
		Metadata struct {
			ProtocolVersions []string `json:"protocol_versions"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(b, &manifest); err != nil {
		t.Fatalf("terraform-registry-manifest.json: %v", err)
	}
	// main.go serves protocol 6 (provider.ProtocolServer, the framework's protocol 6 server, through Serve).
	if manifest.Version != 1 || !slices.Equal(manifest.Metadata.ProtocolVersions, []string{"6.0"}) {
		t.Errorf("manifest = %+v, want version 1 and protocol_versions [6.0]", manifest)
	}
}

// workflowAction matches a step's `uses:` and what it is pinned to.
var workflowAction = regexp.MustCompile(`(?m)^\s*(?:-\s+)?uses:\s*([^@\s]+)@(\S+)`)

func TestReleaseWorkflowRunsThePinnedGoreleaserOnTags(t *testing.T) {
	b, err := os.ReadFile(".github/workflows/release.yml")
	if err != nil {
		t.Fatal(err)
	}
	workflow := string(b)
	var parsed struct {
		On struct {
			Push struct {
				Tags []string `yaml:"tags"`
			} `yaml:"push"`
		} `yaml:"on"`
		Permissions map[string]string `yaml:"permissions"`
	}
	if err := yaml.Unmarshal(b, &parsed); err != nil {
		t.Fatalf("release.yml: %v", err)
	}
	if !slices.Equal(parsed.On.Push.Tags, []string{"v*"}) {
		t.Errorf("on.push.tags = %v, want [v*]", parsed.On.Push.Tags)
	}
	if parsed.Permissions["contents"] != "write" {
		t.Errorf("permissions = %v, want contents: write to create the release", parsed.Permissions)
	}
	uses := workflowAction.FindAllStringSubmatch(workflow, -1)
	if len(uses) == 0 {
		t.Fatal("release.yml uses no actions")
	}
	pinnedToCommit := regexp.MustCompile(`^[0-9a-f]{40}$`)
	var actions []string
	for _, u := range uses {
		actions = append(actions, u[1])
		if !pinnedToCommit.MatchString(u[2]) {
			t.Errorf("%s@%s is not pinned to a commit", u[1], u[2])
		}
	}
	for _, want := range []string{"crazy-max/ghaction-import-gpg", "goreleaser/goreleaser-action"} {
		if !slices.Contains(actions, want) {
			t.Errorf("release.yml does not use %s", want)
		}
	}
	if !strings.Contains(workflow, "GPG_FINGERPRINT: ${{ steps.import_gpg.outputs.fingerprint }}") {
		t.Error("release.yml does not hand the imported key's fingerprint to GoReleaser as GPG_FINGERPRINT")
	}

	makefile, err := os.ReadFile("GNUmakefile")
	if err != nil {
		t.Fatal(err)
	}
	pinned := regexp.MustCompile(`(?m)^GORELEASER_VERSION\s*:=\s*(v\S+)$`).FindSubmatch(makefile)
	if pinned == nil {
		t.Fatal("GNUmakefile does not pin GORELEASER_VERSION")
	}
	if want := "version: " + string(pinned[1]); !strings.Contains(workflow, want) {
		t.Errorf("release.yml does not run GoReleaser %s, the version `make lint` checks the configuration with (want %q)", pinned[1], want)
	}
}

// mpl2SHA256 is the sha256 of Mozilla's MPL 2.0 text, as HashiCorp's own modules ship it
// (terraform-plugin-testing, terraform-plugin-docs, hc-install: byte for byte the same).
const mpl2SHA256 = "1f256ecad192880510e84ad60474eab7589218784b9a50bc7ceee34c2b91f1d5"

func TestLicenseIsTheFullMPL2Text(t *testing.T) {
	b, err := os.ReadFile("LICENSE")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	if got := hex.EncodeToString(sum[:]); got != mpl2SHA256 {
		t.Errorf("LICENSE sha256 = %s, want %s (the Mozilla Public License 2.0, unchanged)", got, mpl2SHA256)
	}
}
