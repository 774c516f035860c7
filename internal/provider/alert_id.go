package provider

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// alertID is an alert's id and import ID, "owner/name/number": the id of
// codescanning_alert_dismissal, codescanning_alert and codescanning_alert_instances, and the
// import ID the provider's diagnostics name. parseAlertID reads it back.
func alertID(repo githubclient.Repository, number int) string {
	return fmt.Sprintf("%s/%d", repo, number)
}

// errAlertIDForm is parseAlertID's answer to an ID that is not repository/number at all.
var errAlertIDForm = errors.New("not repository/number")

// parseAlertID reads an alert's import ID, owner/name/number or name/number, the repository
// as the repository attribute reads it (a bare name takes the provider's owner). An ID with no
// "/" is errAlertIDForm; one whose repository part does not parse is the repository's error;
// then one whose number is not a positive whole number is errAlertIDForm.
func parseAlertID(data *providerData, id string) (githubclient.Repository, int, error) {
	i := strings.LastIndex(id, "/")
	if i < 0 {
		return githubclient.Repository{}, 0, errAlertIDForm
	}
	repo, err := resolveImportRepository(data, id[:i])
	if err != nil {
		return githubclient.Repository{}, 0, err
	}
	number, err := strconv.Atoi(id[i+1:])
	if err != nil || number < 1 {
		return githubclient.Repository{}, 0, errAlertIDForm
	}
	return repo, number, nil
}
