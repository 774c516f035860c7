package provider

import (
	"context"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// dataSourceReadTimeout bounds a data source's read when its timeouts block sets none: every
// request of the read, retries and rate-limit waits included. Ten minutes reads an
// organization's 100,000 alerts (1,000 pages within points_per_minute) with room to spare,
// and fails a read that a rate limit would hold for most of an hour, naming the reset.
const dataSourceReadTimeout = 10 * time.Minute

// readTimeoutsBlock is every data source's timeouts block.
func readTimeoutsBlock(ctx context.Context) schema.Block {
	return timeouts.BlockWithOpts(ctx, timeouts.Opts{
		ReadDescription: "How long the read may take, every request to GitHub with its retries and rate-limit waits included: " +
			"a duration such as `\"30s\"` or `\"20m\"`. Defaults to `" + terraformDuration(dataSourceReadTimeout) + "`. " +
			"A single request that GitHub (or a proxy) does not answer is given up after " + terraformDuration(githubclient.DefaultAttemptTimeout) + " and tried once more, whatever this says.",
	})
}

// terraformDuration writes d as a person would in a configuration: "10m", not "10m0s".
func terraformDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
