package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// How codescanning_default_setup works with code security configurations. An enforced
// configuration that manages default setup forbids repository-level changes; GitHub's answer
// to one is not documented (the emulator's EnforcedSetupStatus: 403 or 422). Reading the
// repository's configuration for every plan would cost a request per repository, so the
// resource reads it only when GitHub refuses a change with either status, and then says which
// configuration owns the setting and how to resolve it, instead of GitHub's bare refusal.

// owningConfiguration is the enforced configuration that manages default setup of repo, when
// GitHub's refusal err (403 or 422) is most likely its doing; nil otherwise, or when the
// repository's configuration cannot be read (the refusal is then reported as it is).
func owningConfiguration(ctx context.Context, client *githubclient.Client, repo githubclient.Repository, err error) *githubclient.RepositorySecurityConfiguration {
	var apiErr *githubclient.APIError
	if !errors.As(err, &apiErr) || (apiErr.StatusCode != http.StatusForbidden && apiErr.StatusCode != http.StatusUnprocessableEntity) {
		return nil
	}
	// Its own deadline: the refusal may have come at the end of the operation's time.
	readCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), defaultSetupReadTimeout)
	defer cancel()
	rc, readErr := client.GetRepositorySecurityConfiguration(readCtx, repo)
	if readErr != nil || rc == nil || rc.Configuration == nil {
		return nil
	}
	cfg := rc.Configuration
	manages := cfg.CodeScanningDefaultSetup == "enabled" || cfg.CodeScanningDefaultSetup == "disabled"
	attached := githubclient.Covers(rc.Status) || rc.Status == githubclient.AttachmentUpdating
	if cfg.Enforcement != "enforced" || !manages || !attached {
		return nil
	}
	return rc
}

// configurationOwnsSetup is what to do about a default setup change an enforced configuration
// forbids: the configuration, and the three ways out.
func configurationOwnsSetup(repo githubclient.Repository, rc *githubclient.RepositorySecurityConfiguration) string {
	cfg := rc.Configuration
	owner := fmt.Sprintf("code security configuration %q (id %d", cfg.Name, cfg.ID)
	if cfg.TargetType != "" && cfg.TargetType != githubclient.TargetOrganization {
		owner += ", " + targetOwner(cfg.TargetType) + "'s"
	}
	owner += ")"
	return fmt.Sprintf("Code scanning default setup of %s is managed by the enforced %s, which turns default setup %s; GitHub refuses repository-level changes while it is attached (status %s). "+
		"Resolve it one of three ways: let the configuration manage it and stop managing it here (remove this codescanning_default_setup, with a removed block "+
		"{ from = ..., lifecycle { destroy = false } } to leave GitHub as it is); or set enforcement = \"unenforced\" on the configuration "+
		"(codescanning_security_configuration), which lets repositories override it; or detach %s from the configuration "+
		"(take it out of codescanning_security_configuration_attachment's repositories).",
		repo, owner, enabledWord(cfg.CodeScanningDefaultSetup), rc.Status, repo)
}

func enabledWord(setting string) string {
	if setting == "enabled" {
		return "on"
	}
	return "off"
}

// addDefaultSetupChangeError is addClientError for a refused default setup change, naming the
// configuration that owns the setting when that is why.
func addDefaultSetupChangeError(ctx context.Context, client *githubclient.Client, diags *diag.Diagnostics, summary string, repo githubclient.Repository, err error) {
	if rc := owningConfiguration(ctx, client, repo, err); rc != nil {
		diags.AddError(summary, configurationOwnsSetup(repo, rc)+"\n\nOriginal Error: "+err.Error())
		return
	}
	addClientError(diags, summary, err)
}
