// Command gofloor is benchmark (b), the floor: plain Go, net/http and
// encoding/json, updating every contact of the workspace with 16 goroutines.
// No rate-limit handling, no retries: the least work that does the job.
//
//	INTERCOM_ACCESS_TOKEN=… go run ./bench/gofloor -base-url http://127.0.0.1:4010 [-concurrency 16]
//
// With -identify it makes one call instead (GET /me, printed): the floor of
// the start-up benchmark's one-call row.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	base := flag.String("base-url", os.Getenv("BASE_URL"), "API base `URL`")
	concurrency := flag.Int("concurrency", 16, "requests in flight")
	identify := flag.Bool("identify", false, "make one call (GET /me), print it and exit")
	flag.Parse()
	token := os.Getenv("INTERCOM_ACCESS_TOKEN")
	if *base == "" || token == "" {
		fmt.Fprintln(os.Stderr, "gofloor: set INTERCOM_ACCESS_TOKEN and -base-url")
		os.Exit(2)
	}
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *concurrency, MaxIdleConns: 2 * *concurrency}}
	do := func(method, path string, body []byte, out any) error {
		var rd io.Reader
		if body != nil {
			rd = bytes.NewReader(body)
		}
		req, err := http.NewRequest(method, *base+path, rd)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Intercom-Version", "2.10")
		req.Header.Set("Accept", "application/json")
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		data, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		if resp.StatusCode/100 != 2 {
			return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, data)
		}
		return json.Unmarshal(data, out)
	}
	if *identify {
		var me map[string]any
		if err := do("GET", "/me", nil, &me); err != nil {
			fmt.Fprintln(os.Stderr, "gofloor:", err)
			os.Exit(1)
		}
		out, _ := json.Marshal(me)
		fmt.Println(string(out))
		return
	}

	var ids []string
	q := url.Values{"per_page": {"150"}}
	for {
		var page struct {
			Data []struct {
				ID string `json:"id"`
			} `json:"data"`
			Pages struct {
				Next struct {
					StartingAfter string `json:"starting_after"`
				} `json:"next"`
			} `json:"pages"`
		}
		if err := do("GET", "/contacts?"+q.Encode(), nil, &page); err != nil {
			fmt.Fprintln(os.Stderr, "gofloor:", err)
			os.Exit(1)
		}
		for _, c := range page.Data {
			ids = append(ids, c.ID)
		}
		if page.Pages.Next.StartingAfter == "" || len(page.Data) == 0 {
			break
		}
		q.Set("starting_after", page.Pages.Next.StartingAfter)
	}

	t0 := time.Now()
	var next, ok, failed atomic.Int64
	var wg sync.WaitGroup
	for range *concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(ids) {
					return
				}
				body, _ := json.Marshal(map[string]any{"custom_attributes": map[string]any{"plan": fmt.Sprintf("bench-%d", i%7)}})
				var contact map[string]any
				if err := do("PUT", "/contacts/"+ids[i], body, &contact); err != nil {
					if failed.Add(1) <= 5 {
						fmt.Fprintln(os.Stderr, "gofloor:", err)
					}
					continue
				}
				ok.Add(1)
			}
		}()
	}
	wg.Wait()
	out, _ := json.Marshal(map[string]any{"impl": "go-floor", "contacts": len(ids), "ok": ok.Load(), "failed": failed.Load(), "updateMs": time.Since(t0).Milliseconds()})
	fmt.Println(string(out))
	if failed.Load() > 0 {
		os.Exit(1)
	}
}
