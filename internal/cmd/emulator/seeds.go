package main

import (
	"fmt"
	"strings"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
)

// seededRepository says what a seed created, for the listing the command prints.
type seededRepository struct {
	name string
	note string
}

// seed fills a fresh emulator for owner and says what it made.
type seed func(emu *emulator.Emulator, owner string, scale scaleSeed) []seededRepository

// scaleSeed sizes the "scale" seed.
type scaleSeed struct{ repositories, alerts int }

// seeds are the named starting points -seed chooses from.
var seeds = map[string]seed{
	"standard": seedStandard,
	"scale":    seedScale,
}

// standardRepository is one repository of the standard seed and the data it holds.
type standardRepository struct {
	repo       emulator.Repository
	alerts     int                    // seeded alerts, with the analyses that found them
	databases  []string               // languages with a CodeQL database
	configured *emulator.DefaultSetup // default setup already on, as if turned on in the UI
	note       string
}

// standardRepositories is one of each kind of repository a configuration meets: code scanning
// ready, already configured, a run that fails, dismissals that need approval, no Advanced
// Security, archived. Alerts are drawn from fixed seeds, so every start shows the same ones.
func standardRepositories(owner string) []standardRepository {
	return []standardRepository{
		{
			repo:      emulator.Repository{Owner: owner, Name: "payments-api", AdvancedSecurity: true, Languages: []string{"go", "javascript-typescript"}},
			alerts:    40,
			databases: []string{"go", "javascript-typescript"},
			note:      "default setup off; Go and TypeScript detected",
		},
		{
			repo: emulator.Repository{Owner: owner, Name: "web-frontend", AdvancedSecurity: true, Languages: []string{"actions", "javascript-typescript"},
				Visibility: emulator.VisibilityPublic},
			alerts:    25,
			databases: []string{"javascript-typescript"},
			note:      "public; default setup off; TypeScript and Actions detected",
		},
		{
			repo:       emulator.Repository{Owner: owner, Name: "data-pipeline", AdvancedSecurity: true, Languages: []string{"python"}},
			alerts:     10,
			databases:  []string{"python"},
			configured: &emulator.DefaultSetup{State: "configured", Languages: []string{"python"}, QuerySuite: "default", ThreatModel: "remote"},
			note:       "default setup already on (python, default suite): import it",
		},
		{
			repo: emulator.Repository{Owner: owner, Name: "failing-build", AdvancedSecurity: true, Languages: []string{"java-kotlin"},
				FailingLanguages: []string{"java-kotlin"}},
			note: "every default setup run concludes failure",
		},
		{
			repo:   emulator.Repository{Owner: owner, Name: "dismissal-review", AdvancedSecurity: true, Languages: []string{"go"}, DelegatedDismissal: true},
			alerts: 10,
			note:   "delegated alert dismissal: a dismissal is a request (create_request = true)",
		},
		{
			repo: emulator.Repository{Owner: owner, Name: "no-advanced-security", AdvancedSecurity: false, Languages: []string{"go"}},
			note: "Advanced Security off: code scanning answers 403, a configuration with paid features fails to attach",
		},
		{
			repo:   emulator.Repository{Owner: owner, Name: "archived-service", AdvancedSecurity: true, Archived: true, Languages: []string{"python"}},
			alerts: 5,
			note:   "archived: readable, every change refused",
		},
	}
}

func seedStandard(emu *emulator.Emulator, owner string, _ scaleSeed) []seededRepository {
	var out []seededRepository
	for i, r := range standardRepositories(owner) {
		emu.AddRepository(r.repo)
		name := r.repo.Name
		if r.alerts > 0 {
			emu.SeedAlerts(owner, name, r.alerts, int64(i+1))
			emu.SeedAnalyses(owner, name, int64(i+1))
		}
		for _, lang := range r.databases {
			emu.AddCodeQLDatabase(owner, name, emulator.CodeQLDatabase{Language: lang})
		}
		if r.configured != nil {
			emu.SetDefaultSetup(owner, name, *r.configured)
		}
		out = append(out, seededRepository{name: name, note: describe(r)})
	}
	return out
}

// describe is a repository's line in the listing: its note, then its data.
func describe(r standardRepository) string {
	parts := []string{r.note}
	if r.alerts > 0 {
		parts = append(parts, fmt.Sprintf("%d alerts", r.alerts))
	}
	if len(r.databases) > 0 {
		parts = append(parts, "CodeQL databases: "+strings.Join(r.databases, ", "))
	}
	return strings.Join(parts, "; ")
}

// seedScale makes an organization of many alike repositories, to try a module's for_each or an
// organization-wide alert list at the size of a real one.
func seedScale(emu *emulator.Emulator, owner string, scale scaleSeed) []seededRepository {
	for i := range scale.repositories {
		name := fmt.Sprintf("service-%04d", i+1)
		emu.AddRepository(emulator.Repository{Owner: owner, Name: name, AdvancedSecurity: true, Languages: []string{"go", "python"}})
		if scale.alerts > 0 {
			emu.SeedAlerts(owner, name, scale.alerts, int64(i+1))
			emu.SeedAnalyses(owner, name, int64(i+1))
		}
	}
	return []seededRepository{{
		name: fmt.Sprintf("service-0001 ... service-%04d", scale.repositories),
		note: fmt.Sprintf("%d repositories, default setup off, Go and Python detected; %d alerts each", scale.repositories, scale.alerts),
	}}
}
