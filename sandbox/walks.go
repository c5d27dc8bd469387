package sandbox

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"time"
)

// walks holds the order of listings being paged whose order a cursor cannot
// carry: sorted searches (the sort key of a record can change between two
// pages) and page-number listings (a page number is an offset, which moves
// when records before it are created or deleted). A walk freezes which
// records the listing holds, and in which order, when its first page is
// served; its later pages serve those records as they are now, leaving out
// the ones deleted since. So a walk serves every record that exists
// throughout it exactly once, and ends, whatever is written meanwhile;
// records created during it are not served.
//
// A walk is held until it has been idle for walkIdle, and at most maxWalks
// are held (the least recently used goes first). A search cursor of a walk no
// longer held is refused (restart the search); a page-number request whose
// walk is gone starts a new one. Page-number requests carry no token, so they
// are matched to a walk by their request (see listingKey): two clients paging
// the same listing at once share the walk the later page 1 started.
type walks struct {
	mu   sync.Mutex
	seq  uint64
	held map[string]*walk // by token
	keys map[string]*walk // page-number walks by listing key
}

const (
	walkIdle = 10 * time.Minute
	maxWalks = 64
)

type walk struct {
	token, key, table string
	n                 int
	at                func(from, to int) []record // the records in the walk's order, as they were
	last              time.Time
}

// start holds a new walk over n records of table that at returns; key (may be
// "") names the page-number request it serves.
func (ws *walks) start(key, table string, n int, at func(from, to int) []record, now time.Time) *walk {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	if ws.held == nil {
		ws.held, ws.keys = map[string]*walk{}, map[string]*walk{}
	}
	ws.seq++
	w := &walk{token: fmt.Sprintf("%d.%08x", ws.seq, rand.Uint32()), key: key, table: table, n: n, at: at, last: now}
	for len(ws.held) >= maxWalks {
		var old *walk
		for _, h := range ws.held {
			if old == nil || h.last.Before(old.last) {
				old = h
			}
		}
		ws.drop(old)
	}
	ws.held[w.token] = w
	if key != "" {
		if prev := ws.keys[key]; prev != nil {
			ws.drop(prev)
		}
		ws.keys[key] = w
	}
	return w
}

func (ws *walks) drop(w *walk) {
	delete(ws.held, w.token)
	if w.key != "" && ws.keys[w.key] == w {
		delete(ws.keys, w.key)
	}
}

// get returns the walk of token, nil when it is not held (or has expired).
func (ws *walks) get(token string, now time.Time) *walk {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	return ws.use(ws.held[token], now)
}

// latest returns the walk of a page-number request, nil when there is none.
func (ws *walks) latest(key string, now time.Time) *walk {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	return ws.use(ws.keys[key], now)
}

func (ws *walks) use(w *walk, now time.Time) *walk {
	if w == nil {
		return nil
	}
	if now.Sub(w.last) >= walkIdle {
		ws.drop(w)
		return nil
	}
	w.last = now
	return w
}

// forget drops the walk of a page-number request.
func (ws *walks) forget(key string) {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	if w := ws.keys[key]; w != nil {
		ws.drop(w)
	}
}

// serve returns the walk's records from to to that still exist, as they are
// now. When every one of them was deleted, it returns them as they were, so
// that no page inside a walk is empty (clients stop at an empty page).
func (w *walk) serve(st *store, from, to int) []record {
	if from >= to {
		return nil
	}
	orig := w.at(from, to)
	t := st.t(w.table)
	out := make([]record, 0, len(orig))
	for _, r := range orig {
		if cur := t.get(str(r, "id")); cur != nil {
			out = append(out, cur)
		}
	}
	if len(out) == 0 {
		return orig
	}
	return out
}
