package sandbox

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

type faultKind int

const (
	faultNone faultKind = iota
	fault429
	fault500
	fault503
	faultDrop
	faultSlow
	faultTruncate
)

var faultNames = map[string]faultKind{
	"429": fault429, "500": fault500, "503": fault503,
	"drop": faultDrop, "slow": faultSlow, "truncate": faultTruncate,
}

func (k faultKind) String() string {
	for name, v := range faultNames {
		if v == k {
			return name
		}
	}
	return "none"
}

const defaultSlow = 2 * time.Second

// faults draws at most one fault per request from a seeded generator.
type faults struct {
	mu    sync.Mutex
	rnd   *rand.Rand
	kinds []faultKind
	cum   []float64 // cumulative probabilities, in kinds' order
	slow  time.Duration
}

// parseFaults reads "429=0.05,500=0.02,slow=0.05:2s,...". An empty spec injects nothing.
func parseFaults(spec string, seed int64) (*faults, error) {
	f := &faults{rnd: rand.New(rand.NewPCG(uint64(seed), 0xfa0175)), slow: defaultSlow}
	total := 0.0
	for _, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		name, val, ok := strings.Cut(item, "=")
		kind, known := faultNames[strings.TrimSpace(name)]
		if !ok || !known {
			return nil, fmt.Errorf("sandbox: fault %q: want KIND=PROBABILITY with KIND one of 429, 500, 503, drop, slow, truncate", item)
		}
		prob, dur, _ := strings.Cut(val, ":")
		p, err := strconv.ParseFloat(strings.TrimSpace(prob), 64)
		if err != nil || p < 0 || p > 1 {
			return nil, fmt.Errorf("sandbox: fault %q: probability must be between 0 and 1", item)
		}
		if dur != "" {
			if kind != faultSlow {
				return nil, fmt.Errorf("sandbox: fault %q: only slow takes a duration", item)
			}
			if f.slow, err = time.ParseDuration(dur); err != nil {
				return nil, fmt.Errorf("sandbox: fault %q: %w", item, err)
			}
		}
		total += p
		f.kinds = append(f.kinds, kind)
		f.cum = append(f.cum, total)
	}
	if total > 1+1e-9 {
		return nil, fmt.Errorf("sandbox: faults %q: probabilities add up to %.3f, more than 1", spec, total)
	}
	return f, nil
}

// draw picks the fault of one request, and the delay of a slow one.
func (f *faults) draw() (faultKind, time.Duration) {
	if len(f.kinds) == 0 {
		return faultNone, 0
	}
	f.mu.Lock()
	x := f.rnd.Float64()
	f.mu.Unlock()
	for i, c := range f.cum {
		if x < c {
			return f.kinds[i], f.slow
		}
	}
	return faultNone, 0
}

// drop closes the connection without answering.
func (s *Sandbox) drop(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// truncate sends the headers and half of the body, then closes the connection.
func (s *Sandbox) truncate(w http.ResponseWriter, rep *reply) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		w.Header().Set("Content-Length", strconv.Itoa(len(rep.body)))
		w.WriteHeader(rep.status)
		_, _ = w.Write(rep.body[:len(rep.body)/2])
		panic(http.ErrAbortHandler)
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	defer conn.Close()
	writeTruncated(buf.Writer, w.Header(), rep)
}

func writeTruncated(bw *bufio.Writer, h http.Header, rep *reply) {
	fmt.Fprintf(bw, "HTTP/1.1 %d %s\r\n", rep.status, http.StatusText(rep.status))
	h.Set("Content-Length", strconv.Itoa(len(rep.body)))
	h.Set("Connection", "close")
	_ = h.Write(bw)
	bw.WriteString("\r\n")
	bw.Write(rep.body[:len(rep.body)/2])
	_ = bw.Flush()
}
