package sandbox

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"net/http"
	"strconv"
)

// The dataExport namespace (intercom.dataExport).
func init() {
	register("dataExport", map[string]handler{
		"createDataExport":   hCreateDataExport,
		"getDataExport":      hGetDataExport,
		"cancelDataExport":   hCancelDataExport,
		"downloadDataExport": hDownloadDataExport,
	})
}

// Data exports: each poll of a job moves it one step, pending → in_progress →
// completed, so scripts see the progression without waiting.

var exportSteps = map[string]string{"pending": "in_progress", "in_progress": "completed"}

// renderExport answers both spellings of the job's id: the schema data_export
// names it job_identfier (sic), while the description's own response examples
// (createDataExport, getDataExport), the path parameter and the official SDKs
// say job_identifier.
func renderExport(j record) record {
	return record{"job_identifier": j["id"], "job_identfier": j["id"], "status": j["status"], "download_expires_at": str(j, "download_expires_at"), "download_url": str(j, "download_url")}
}

func hCreateDataExport(c *call) (any, *apiError) {
	after, before := num(c.body, "created_at_after"), num(c.body, "created_at_before")
	if after >= before {
		return nil, errInvalid(msgInvalid, "created_at_before")
	}
	if c.st.t(tExports).find(func(j record) bool { _, busy := exportSteps[str(j, "status")]; return busy }) != nil {
		return nil, newError(http.StatusTooManyRequests, codeRateLimited, msgExportPending)
	}
	j := record{"id": c.st.nextHex(tExports), "status": "pending", "created_at_after": after, "created_at_before": before, "created_at": c.now}
	c.st.t(tExports).put(j)
	return renderExport(j), nil
}

func hGetDataExport(c *call) (any, *apiError) {
	j, err := c.lookup(tExports, c.param("job_identifier"))
	if err != nil {
		return nil, err
	}
	if next, ok := exportSteps[str(j, "status")]; ok {
		j["status"] = next
		if next == "completed" {
			j["download_url"] = c.base + "/download/content/data/" + str(j, "id")
			j["download_expires_at"] = strconv.FormatInt(c.now+2*24*3600, 10)
		}
	}
	return renderExport(j), nil
}

func hCancelDataExport(c *call) (any, *apiError) {
	j, err := c.lookup(tExports, c.param("job_identifier"))
	if err != nil {
		return nil, err
	}
	j["status"], j["download_url"], j["download_expires_at"] = "canceled", "", ""
	return renderExport(j), nil
}

var exportColumns = []string{
	"user_id", "user_external_id", "company_id", "email", "name", "ruleset_id", "content_id",
	"content_type", "content_title", "ruleset_version_id", "receipt_id", "received_at", "series_id",
	"series_title", "node_id", "first_reply", "first_completion", "first_series_completion",
	"first_series_disengagement", "first_series_exit", "first_goal_success", "first_open",
	"first_click", "first_dismisall", "first_unsubscribe", "first_hard_bounce",
}

// hDownloadDataExport answers a gzipped CSV of the messages sent in the job's range.
func hDownloadDataExport(c *call) (any, *apiError) {
	j, err := c.lookup(tExports, c.param("job_identifier"))
	if err != nil {
		return nil, err
	}
	if str(j, "status") != "completed" {
		return nil, errNotFound(codeNotFound, msgExportNotReady)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	w := csv.NewWriter(zw)
	_ = w.Write(exportColumns)
	after, before := num(j, "created_at_after"), num(j, "created_at_before")
	for _, m := range c.st.t(tMessages).all() {
		if at := num(m, "created_at"); at >= after && at <= before {
			_ = w.Write(c.st.exportRow(m))
		}
	}
	w.Flush()
	_ = zw.Close()
	return &rawResponse{status: http.StatusOK, contentType: "application/octet-stream", body: buf.Bytes()}, nil
}

func (st *store) exportRow(m record) []string {
	ct := st.contact(str(m, "_to"))
	if ct == nil {
		ct = record{"id": m["_to"]}
	}
	company := ""
	if ids := idsOf(list(obj(ct, "companies"), "data")); len(ids) > 0 {
		company = ids[0]
	}
	id := str(m, "id")
	at := str(m, "created_at")
	return []string{
		str(ct, "id"), str(ct, "external_id"), company, str(ct, "email"), str(ct, "name"),
		"ruleset-" + id, id, str(m, "message_type"), str(m, "subject"), "1", "receipt-" + id, at,
		"", "", "", "", "", "", "", "", "", at, "", "", "", "",
	}
}
