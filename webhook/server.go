package webhook

import (
	"context"
	"io"
	"net/http"
	"sync"
)

// MaxBody is the largest notification accepted (413 beyond).
const MaxBody = 5 << 20

// Handler handles one delivery (a limit on its time is the handler's own:
// ctx ends only when the server stops). It returns one of the Result
// constants and, for ResultError and ResultTimeout, what went wrong.
type Handler func(ctx context.Context, ev *Event, body []byte) (result string, err error)

// Server receives notifications: it checks the signature (401 when wrong),
// records the delivery in the journal, answers 200, and handles it after,
// at most Concurrency at a time. A delivery id seen before is answered 200
// and not handled again.
type Server struct {
	Secret      []byte
	Journal     *Journal
	Handle      Handler
	Concurrency int // handlers running at once; <= 0 means 1
	Logf        func(format string, args ...any)

	mu    sync.Mutex
	queue []*Record
	wake  chan struct{}
	wg    sync.WaitGroup
}

// Start queues the deliveries the journal holds as pending (received
// before a restart and not done) and starts the workers, which stop when
// ctx ends; Wait waits for them.
func (s *Server) Start(ctx context.Context) {
	s.mu.Lock()
	s.wake = make(chan struct{}, 1)
	s.queue = append(s.queue, s.Journal.Pending()...)
	s.mu.Unlock()
	if n := len(s.queue); n > 0 {
		s.logf("resuming %d deliveries received before the restart", n)
	}
	n := max(s.Concurrency, 1)
	for range n {
		s.wg.Add(1)
		go s.work(ctx)
	}
	s.signal()
}

// Wait waits for the workers to stop after Start's context ended (a
// handler running then is interrupted by its context).
func (s *Server) Wait() { s.wg.Wait() }

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "webhook notifications are POSTed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBody+1))
	if err != nil {
		http.Error(w, "cannot read the body", http.StatusBadRequest)
		return
	}
	if len(body) > MaxBody {
		http.Error(w, "notification too large", http.StatusRequestEntityTooLarge)
		return
	}
	if !Verify(s.Secret, body, r.Header.Get(SignatureHeader)) {
		s.logf("rejected a delivery from %s: missing or wrong %s", r.RemoteAddr, SignatureHeader)
		http.Error(w, "invalid signature", http.StatusUnauthorized)
		return
	}
	ev, err := ParseEvent(body)
	if err != nil {
		s.logf("rejected a delivery from %s: %v", r.RemoteAddr, err)
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	dup, err := s.Journal.Receive(ev.ID, ev.Topic, body)
	if err != nil {
		// Not recorded, so not acknowledged: Intercom delivers it again.
		s.logf("cannot record delivery %s: %v", ev.ID, err)
		http.Error(w, "cannot record the delivery", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
	if dup {
		s.logf("%s %s: delivered before, dropped", ev.ID, ev.Topic)
		return
	}
	s.enqueue(&Record{Kind: "received", ID: ev.ID, Topic: ev.Topic, Body: body})
}

func (s *Server) enqueue(rec *Record) {
	s.mu.Lock()
	s.queue = append(s.queue, rec)
	s.mu.Unlock()
	s.signal()
}

func (s *Server) signal() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *Server) next() *Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.queue) == 0 {
		return nil
	}
	rec := s.queue[0]
	s.queue[0] = nil
	s.queue = s.queue[1:]
	if len(s.queue) > 0 {
		s.signal() // another worker may take the next
	}
	return rec
}

func (s *Server) work(ctx context.Context) {
	defer s.wg.Done()
	for {
		rec := s.next()
		if rec == nil {
			select {
			case <-s.wake:
				continue
			case <-ctx.Done():
				return
			}
		}
		if ctx.Err() != nil {
			return // left pending in the journal: handled after a restart
		}
		s.handle(ctx, rec)
	}
}

// handle runs one delivery and records its end, unless the server is
// stopping (then it stays pending and runs again after a restart).
func (s *Server) handle(ctx context.Context, rec *Record) {
	ev, err := ParseEvent(rec.Body)
	result, errText := ResultError, ""
	if err == nil {
		result, err = s.Handle(ctx, ev, rec.Body)
		if ctx.Err() != nil && result != ResultOK {
			return
		}
	}
	if err != nil {
		errText = err.Error()
	}
	switch result {
	case ResultOK:
		s.logf("%s %s: handled", rec.ID, rec.Topic)
	case ResultUnhandled:
		s.logf("%s %s: unhandled (no handler for the topic and no \"*\")", rec.ID, rec.Topic)
	case ResultTimeout:
		s.logf("%s %s: handler timed out: %s", rec.ID, rec.Topic, errText)
	default:
		s.logf("%s %s: handler failed: %s", rec.ID, rec.Topic, errText)
	}
	if err := s.Journal.Done(rec.ID, result, errText); err != nil {
		s.logf("cannot record the end of %s: %v", rec.ID, err)
	}
}

func (s *Server) logf(format string, args ...any) {
	if s.Logf != nil {
		s.Logf(format, args...)
	}
}
