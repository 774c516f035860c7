package githubclient

import (
	"context"
	"net/url"
)

// Processing states of a SARIF upload, as GitHub names them.
const (
	SarifPending  = "pending"
	SarifComplete = "complete"
	SarifFailed   = "failed"
)

// SarifUpload is where GitHub stands with processing a SARIF upload. The client's own type:
// go-github's lacks errors.
type SarifUpload struct {
	ProcessingStatus string `json:"processing_status"`
	// AnalysesURL lists the analyses the upload made; GitHub gives it once processing is complete.
	AnalysesURL *string `json:"analyses_url"`
	// Errors say why processing failed.
	Errors []string `json:"errors"`
}

// GetSarifUpload reads the processing status of a SARIF upload, by the id GitHub gave it.
func (c *Client) GetSarifUpload(ctx context.Context, repo Repository, sarifID string) (*SarifUpload, error) {
	return get[SarifUpload](ctx, c, "read SARIF upload "+sarifID, repo, repo.path("/code-scanning/sarifs/"+url.PathEscape(sarifID)))
}
