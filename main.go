package main

import (
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/codescanning/terraform-provider-codescanning/internal/provider"
)

// version is set by the release build (-ldflags "-X main.version=...").
var version = "dev"

// `go generate .` is `make docs`: it formats the examples, then tfplugindocs (a tool of the
// tools/ module, so the provider's go.mod lists only what the provider uses) writes docs/ from
// templates/, examples/ and the schema, away from any CLI configuration of the developer's.
//
//go:generate terraform fmt -recursive ./examples/
//go:generate env TF_CLI_CONFIG_FILE=/dev/null go tool -modfile=tools/go.mod tfplugindocs generate --provider-name codescanning

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()
	silenceUnreadLogs()

	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	// StopAware: an interrupted apply ends promptly (see its doc).
	err := tf6server.Serve("registry.terraform.io/codescanning/codescanning",
		provider.StopAware(provider.ProtocolServer(provider.New(version)())), opts...)
	if err != nil {
		log.Fatal(err.Error())
	}
}
