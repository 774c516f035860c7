package provider

import (
	"context"
	"fmt"
	"sort"

	"github.com/hashicorp/terraform-plugin-testing/plancheck"
)

// expectNothingUnknown is a plan check that fails when the planned change of address leaves any
// attribute (known after apply): for changes whose every result is known at plan time.
type expectNothingUnknown string

func (address expectNothingUnknown) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != string(address) {
			continue
		}
		unknown, _ := rc.Change.AfterUnknown.(map[string]any)
		var names []string
		for name, v := range unknown {
			if anyTrue(v) {
				names = append(names, name)
			}
		}
		if len(names) > 0 {
			sort.Strings(names)
			resp.Error = fmt.Errorf("%s: plan shows %q as (known after apply)", address, names)
		}
		return
	}
	resp.Error = fmt.Errorf("%s: not in the plan", address)
}

// anyTrue reports whether an AfterUnknown value marks anything unknown: terraform writes true for
// an unknown value and lists or objects of such marks for collections that are partly unknown.
func anyTrue(v any) bool {
	switch v := v.(type) {
	case bool:
		return v
	case []any:
		for _, e := range v {
			if anyTrue(e) {
				return true
			}
		}
	case map[string]any:
		for _, e := range v {
			if anyTrue(e) {
				return true
			}
		}
	}
	return false
}
