package vardval

import (
	"context"
	"errors"
	"maps"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// pollCtx is a context that counts the polls of a load by site (the
// function and line that called Err, past the stopper) and, when site is
// set, is cancelled at the nth poll from that site (n from 1): a test can
// so cancel a load inside each of its loops in turn, whichever goroutine
// gets there. Once cancelled it stays cancelled, as a real context does.
type pollCtx struct {
	context.Context // Background: no deadline, no values
	site            string
	n               int
	mu              sync.Mutex
	sites           map[string]int // polls by site
	fired           atomic.Bool
	once            sync.Once
	done            chan struct{}
}

func newPollCtx(site string, n int) *pollCtx {
	return &pollCtx{Context: context.Background(), site: site, n: n, sites: map[string]int{}, done: make(chan struct{})}
}

func (c *pollCtx) Err() error {
	if c.fired.Load() {
		return context.Canceled
	}
	site := pollSite()
	c.mu.Lock()
	c.sites[site]++
	hit := site == c.site && c.sites[site] >= c.n
	c.mu.Unlock()
	if hit {
		c.fired.Store(true)
		c.once.Do(func() { close(c.done) })
		return context.Canceled
	}
	return nil
}

func (c *pollCtx) Done() <-chan struct{} { return c.done }

// pollSite names the caller of Err: the first frame outside the context
// package and the stopper's methods.
func pollSite() string {
	pc := make([]uintptr, 16)
	frames := runtime.CallersFrames(pc[:runtime.Callers(3, pc)])
	for {
		f, more := frames.Next()
		if !strings.HasSuffix(f.Function, "stopper.now") && !strings.HasSuffix(f.Function, "stopper.stop") && !strings.HasPrefix(f.Function, "context.") {
			return f.Function + ":" + strconv.Itoa(f.Line)
		}
		if !more {
			return "?"
		}
	}
}

// A load cancelled inside any of its loops or between its phases (rows
// read, persons looked up, contact ids checked, records grouped by person,
// persons pseudonymised) returns context.Canceled and no Region, with no
// panic (and no race under -race): each site that polls the context is
// cancelled at its first poll and at a middle one. A load that did not
// reach the poll returns the whole Region and report. The phases after the
// rows are read must poll (stop promptly): their functions are named.
func TestLoadCancelledAtEveryPoll(t *testing.T) {
	late := lateFiles(t)
	split := readDir(t, "testdata/intake/clean")
	split[FileContacts] = bigContacts(20000, -1)
	for _, c := range []struct {
		name  string
		m     map[string][]byte
		knobs func() loadKnobs
		polls []string // functions that must poll
	}{
		{"b reads every file but the contacts", late, func() loadKnobs { return loadKnobs{bAll: true} },
			[]string{"resolveCells", "finishContacts", "resolveContactRefs", "group", "scatter", "sortEach", "pseudonyms", "personOrder", "fillPersons", "finish", "listingsChecked"}},
		{"a reads the observations and prescriptions", late, func() loadKnobs { return loadKnobs{aLate: true} },
			[]string{"resolveCells", "finishContacts", "group", "scatter", "sortEach", "personOrder", "fillPersons", "finish"}},
		{"contacts split", split, func() loadKnobs { return loadKnobs{splitMin: 1, hold: make(chan struct{})} },
			[]string{"resolveCells", "finishContacts", "group", "scatter", "sortEach", "personOrder", "fillPersons", "finish"}},
		{"check", late, func() loadKnobs { return loadKnobs{aLate: true, reportOnly: true} },
			[]string{"resolveCells", "finishContacts", "resolveContactRefs"}},
	} {
		knobs := func() loadKnobs {
			k := c.knobs()
			k.pollMask = 3
			return k
		}
		want, wantRep, err := load(context.Background(), filesOf(c.m), LoadOptions{}, knobs())
		if err != nil {
			t.Fatal(err)
		}
		count := newPollCtx("", 0)
		if _, _, err := load(count, filesOf(c.m), LoadOptions{}, knobs()); err != nil {
			t.Fatal(err)
		}
		sites := slices.Sorted(maps.Keys(count.sites))
		for _, fn := range c.polls {
			if !slices.ContainsFunc(sites, func(s string) bool {
				return strings.Contains(s, "."+fn+"[") || strings.Contains(s, "."+fn+".") || strings.Contains(s, ")."+fn+":") || strings.Contains(s, "vardval."+fn+":")
			}) {
				t.Errorf("%s: %s never polls the context: a cancelled load would not stop there", c.name, fn)
			}
		}
		cancelled := 0
		for _, site := range sites {
			for _, n := range []int{1, (count.sites[site] + 1) / 2} {
				ctx := newPollCtx(site, n)
				r, rep, err := load(ctx, filesOf(c.m), LoadOptions{}, knobs())
				if !ctx.fired.Load() {
					// Timing decides some sites' polls (which worker
					// reads what): this load did not get there.
					if err != nil {
						t.Errorf("%s, cancelled at poll %d of %s: not cancelled, yet error %v", c.name, n, site, err)
					}
					if diff := cmp.Diff(want, r, cmp.AllowUnexported(Region{})); diff != "" {
						t.Errorf("%s, cancelled at poll %d of %s: not cancelled, yet region differs:\n%s", c.name, n, site, diff)
					}
					if diff := cmp.Diff(wantRep, rep, cmp.AllowUnexported(FileReport{}), ignoreCause); diff != "" {
						t.Errorf("%s, cancelled at poll %d of %s: not cancelled, yet report differs:\n%s", c.name, n, site, diff)
					}
					continue
				}
				cancelled++
				if !errors.Is(err, context.Canceled) || r != nil || rep == nil {
					t.Errorf("%s, cancelled at poll %d of %s: region %v, report %v, error %v; want no region, a report and context.Canceled",
						c.name, n, site, r != nil, rep != nil, err)
				}
			}
		}
		if cancelled < len(sites) {
			t.Errorf("%s: only %d loads of %d saw their cancellation", c.name, cancelled, 2*len(sites))
		}
		t.Logf("%s: %d sites poll, %d cancelled loads", c.name, len(sites), cancelled)
	}
}
