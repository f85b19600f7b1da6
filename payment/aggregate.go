package payment

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/vardval/vardval/vardval"
)

const (
	nSex   = 3          // unknown, F, M
	nAge   = MaxAge + 2 // 0..MaxAge, then "birth date unknown"
	ageUnk = MaxAge + 1 // slot for unknown age
	nRel   = 3          // relHere, relElsewhere, relUnlisted
	nMode  = 6          // vardval.Mode values
	nProf  = 9          // vardval.Profession values
	nKind  = 5          // vardval.UnitKind values
)

// Relations between a contact's person and the unit the contact was at.
const (
	relHere      = 0 // listed at this unit on the contact day
	relElsewhere = 1 // listed at another unit
	relUnlisted  = 2 // not listed anywhere
)

// relNames returns the model-file names of the relations, by relation.
func relNames() [nRel]string { return [nRel]string{"here", "elsewhere", "unlisted"} }

// snap is one counting of a unit's listed persons in one month: persons on
// a cut-off day (weight 1) or person-days (weight = days listed).
type snap struct {
	hist [nSex][nAge]int64 // weight by sex × age
	acg  int64             // Σ ACG weight (millionths) × weight
	cni  int64             // Σ CNI (millionths) × weight
	n    int64             // Σ weight
}

// unitMonth holds every integer aggregate of one unit in one month.
type unitMonth struct {
	snaps    []snap     // by registry counting index
	active   []int64    // by registry active index
	cov      [][2]int64 // by registry coverage index: own unit, all counted kinds
	contacts [nRel][nMode][nProf]int64
	fees     [nRel]int64 // patient fees paid at this unit, öre
	cost     [nKind][nMode][nProf]int64
}

type windowKey struct {
	c      Counting
	window int
	kinds  uint8 // coverage: bit set of unit kinds counted in the denominator
}

// registry collects what the components of a model need aggregated, per
// month of the run.
type registry struct {
	counts   []Counting
	active   [][]windowKey // per month, by index
	coverage [][]windowKey // per month, by index
	// Which contact aggregates a component reads (unitMonth.contacts,
	// cost, fees): the others are not summed, sparing a cache miss per
	// contact on units' aggregates that no line uses.
	contacts, cost, fees bool
	// readsContacts is set by a component that reads the contacts in
	// another way (coverage, actively listed), for Model.Inputs.
	readsContacts bool
	// measures are the ids of the measures components read, in the order
	// asked for (with repeats).
	measures []string
}

func newRegistry(months int) *registry {
	return &registry{active: make([][]windowKey, months), coverage: make([][]windowKey, months)}
}

func (r *registry) snapshot(c Counting) int {
	for i, x := range r.counts {
		if x == c {
			return i
		}
	}
	r.counts = append(r.counts, c)
	return len(r.counts) - 1
}

// snapIndex returns the index of counting c, which a component must have
// asked for (Needs.Listed): pricing must never add to the registry, which
// the months' goroutines share.
func (r *registry) snapIndex(c Counting) int {
	if i := slices.Index(r.counts, c); i >= 0 {
		return i
	}
	panic(fmt.Sprintf("payment: a component reads listed persons counted %s without asking for them in Need (Needs.Listed)", c))
}

func (r *registry) activeIndex(month int, c Counting, window int) int {
	k := windowKey{c: c, window: window}
	if i := slices.Index(r.active[month], k); i >= 0 {
		return i
	}
	r.active[month] = append(r.active[month], k)
	return len(r.active[month]) - 1
}

func (r *registry) coverageIndex(month int, c Counting, window int, kinds uint8) int {
	k := windowKey{c: c, window: window, kinds: kinds}
	if i := slices.Index(r.coverage[month], k); i >= 0 {
		return i
	}
	r.coverage[month] = append(r.coverage[month], k)
	return len(r.coverage[month]) - 1
}

// weights holds per-month person weights resolved from the model.
type weights struct {
	acgMissing []int64   // per month
	acgCat     [][]int64 // per month, by code index; -1 = not in table
	acgByCat   bool
	cniMissing []int64 // per month
	// areaCNI is each area's CNI per month (millionths): its cni, or the
	// one computed from its census shares; -1 = none (cniMissing applies).
	areaCNI [][]int64
}

// aggregation is the result: per month, per unit.
type aggregation struct {
	months []vardval.YearMonth
	units  [][]unitMonth // [month][unit]
}

func newUnitMonths(reg *registry, month, n int) []unitMonth {
	out := make([]unitMonth, n)
	ns, na, nc := len(reg.counts), len(reg.active[month]), len(reg.coverage[month])
	// One block each, cleared (written) before the sums add to them: see
	// prepare.
	snaps, active, cov := make([]snap, n*ns), make([]int64, n*na), make([][2]int64, n*nc)
	clear(snaps)
	clear(active)
	clear(cov)
	for i := range out {
		out[i].snaps = snaps[i*ns : (i+1)*ns : (i+1)*ns]
		out[i].active = active[i*na : (i+1)*na : (i+1)*na]
		out[i].cov = cov[i*nc : (i+1)*nc : (i+1)*nc]
	}
	return out
}

// aggregate walks every person once (in parallel chunks) and sums integer
// aggregates per unit and month. Integer sums do not depend on the order of
// the chunks, so the result is deterministic. It returns nil when ctx is
// cancelled (checked every few thousand persons). workers 0 means
// GOMAXPROCS, at most 8, and one for a small region.
func aggregate(ctx context.Context, r *vardval.Region, months []vardval.YearMonth, reg *registry, wt *weights, workers int) *aggregation {
	if workers <= 0 {
		workers = min(runtime.GOMAXPROCS(0), 8)
		if len(r.Persons) < 4096 {
			workers = 1
		}
	}
	return aggregateOn(ctx, r, months, reg, wt, workers)
}

// aggregateOn is aggregate on the given number of workers, each adding a
// contiguous share of the persons into small blocks of its own (the
// aggregator's sums, histograms and counts), which it adds into the one
// set of unit months of the result now and then and when it is done, one
// worker at a time: the result does not depend on workers, and more
// workers do not hold more sets of unit months (a set is about 90 MB at
// 1,170 units over a year). It returns nil when ctx is cancelled.
func aggregateOn(ctx context.Context, r *vardval.Region, months []vardval.YearMonth, reg *registry, wt *weights, workers int) *aggregation {
	n := len(r.Persons)
	out := &aggregation{months: months, units: make([][]unitMonth, len(months))}
	for i := range months {
		out.units[i] = newUnitMonths(reg, i, len(r.Units))
	}
	var mu sync.Mutex // held while a worker adds its blocks into out
	// A panic on a worker is raised again on the caller's goroutine, where
	// Run turns it into an error, instead of ending the process.
	panics := make([]any, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			defer func() { panics[w] = recover() }()
			ag := &aggregator{r: r, months: months, reg: reg, wt: wt, acc: out.units, mu: &mu}
			ag.prepare()
			first := n * w / workers
			for p := first; p < n*(w+1)/workers; p++ {
				if (p-first)&(pollEvery-1) == 0 && ctx.Err() != nil {
					return
				}
				ag.person(vardval.PersonIndex(p))
				if p%foldEvery == foldEvery-1 {
					ag.foldSums()
				}
			}
			ag.foldSums()
		}(w)
	}
	wg.Wait()
	for _, p := range panics {
		if p != nil {
			panic(p)
		}
	}
	if ctx.Err() != nil {
		return nil
	}
	return out
}

type aggregator struct {
	r      *vardval.Region
	months []vardval.YearMonth
	reg    *registry
	wt     *weights
	// acc is the result's unit months, which every worker shares: they
	// are added to only by foldSums, with mu held.
	acc    [][]unitMonth
	mu     *sync.Mutex
	cuts   [][]int32        // [month][counting] cut-off day keys
	cutDay [][]vardval.Date // [month][counting] cut-off days
	sameWt []bool           // [month] the month's ACG and CNI weights are the previous month's
	active [][]window       // [month][active index]
	cover  [][]window       // [month][coverage index]
	kinds  []vardval.UnitKind
	mFirst []int // day number of each month's first day
	mLast  []int
	lf, lt []int               // day numbers of the current person's listings (lt: last day, or max)
	lp     vardval.PersonIndex // person whose listings lf/lt hold, plus one (0 = none)
	// act counts the actively listed persons while persons are added,
	// [month][unit][active index] from actOff[month] (a few kilobytes in
	// the core's cache, instead of a field of a unitMonth per month);
	// foldSums adds it to the unitMonths.
	act    []int32
	actOff []int
	// cnt counts the contacts likewise, [month][unit][rel][mode][prof].
	// Between two folds a count stays far below 2^31: act gains at most
	// one per person (foldEvery persons), cnt one per contact.
	cnt []int32
	// sums holds the acg, cni and n of every snap while persons are
	// added, [month][unit][counting], a few kilobytes that stay in the
	// core's cache; hist holds the snaps' histograms in int32,
	// [month][unit][counting][sex][age], half the size of the snaps' and
	// in one block, so that it stays in the core's cache too. foldSums
	// adds both to the snaps.
	sums []snapSum
	hist []int32
	// cov, fees and cost hold the coverage counts, patient fees and
	// contacts elsewhere likewise, [month][unit][coverage index] from
	// covOff[month], [month][unit][rel] and [month][unit][kind][mode][prof]
	// (fees and cost only when a component reads them); foldSums adds them
	// to the unitMonths. A cost count gains one per contact, as cnt's.
	cov    [][2]int64
	covOff []int
	fees   []int64
	cost   []int32
}

// pollEvery is how many persons a worker adds between checks of the
// context (a power of two): a few milliseconds of work.
const pollEvery = 1 << 12

// foldEvery is how many persons a worker adds between folds of its int32
// histograms: a person adds at most 31 (days) to a cell, so a cell stays
// below 31 × 2^24 < 2^31.
const foldEvery = 1 << 24

type snapSum struct{ acg, cni, n int64 }

// add adds weight w of a person of sex and age slot, with ACG weight acg
// and CNI cni, to counting ci of unit u in every month from m0 to m1. The
// histograms and sums hold month-to-month differences (+w from m0, -w
// after m1): a person listed at the same unit with the same weights all
// year costs two writes instead of twelve. foldSums adds them up.
func (ag *aggregator) add(m0, m1 int, u vardval.UnitIndex, ci int, sex vardval.Sex, age int, w, acg, cni int64) {
	if sex >= nSex {
		sex = vardval.SexUnknown
	}
	nu, nc := len(ag.r.Units), len(ag.reg.counts)
	k := (m0*nu+int(u))*nc + ci
	ag.hist[(k*nSex+int(sex))*nAge+age] += int32(w)
	t := &ag.sums[k]
	t.acg += acg * w
	t.cni += cni * w
	t.n += w
	if m1+1 < len(ag.months) {
		k = ((m1+1)*nu+int(u))*nc + ci
		ag.hist[(k*nSex+int(sex))*nAge+age] -= int32(w)
		t := &ag.sums[k]
		t.acg -= acg * w
		t.cni -= cni * w
		t.n -= w
	}
}

// foldSums adds the differences up month by month into the snaps, and
// the worker's other blocks into the unit months, which it holds ag.mu
// for (the workers share them), and clears the blocks.
func (ag *aggregator) foldSums() {
	ag.mu.Lock()
	defer ag.mu.Unlock()
	nu, nc := len(ag.r.Units), len(ag.reg.counts)
	run := make([]int64, nSex*nAge)
	for u := range nu {
		for ci := range nc {
			clear(run)
			var sum snapSum
			for mi := range ag.acc {
				k := (mi*nu+u)*nc + ci
				t := ag.sums[k]
				sum.acg += t.acg
				sum.cni += t.cni
				sum.n += t.n
				s := &ag.acc[mi][u].snaps[ci]
				s.acg += sum.acg
				s.cni += sum.cni
				s.n += sum.n
				h := ag.hist[k*nSex*nAge : (k+1)*nSex*nAge]
				for x := range s.hist {
					for y := range s.hist[x] {
						run[x*nAge+y] += int64(h[x*nAge+y])
						s.hist[x][y] += run[x*nAge+y]
					}
				}
			}
		}
	}
	clear(ag.sums)
	clear(ag.hist)
	for mi := range ag.acc {
		na := len(ag.active[mi])
		for u := range nu {
			for ai, c := range ag.act[ag.actOff[mi]+u*na : ag.actOff[mi]+(u+1)*na] {
				ag.acc[mi][u].active[ai] += int64(c)
			}
		}
	}
	clear(ag.act)
	if ag.cnt != nil {
		const per = nRel * nMode * nProf
		for mi := range ag.acc {
			for u := range nu {
				c := ag.cnt[(mi*nu+u)*per : (mi*nu+u+1)*per]
				t := &ag.acc[mi][u].contacts
				for r := range nRel {
					for m := range nMode {
						for p := range nProf {
							t[r][m][p] += int64(c[(r*nMode+m)*nProf+p])
						}
					}
				}
			}
		}
		clear(ag.cnt)
	}
	for mi := range ag.acc {
		nk := len(ag.cover[mi])
		for u := range nu {
			for ki, c := range ag.cov[ag.covOff[mi]+u*nk : ag.covOff[mi]+(u+1)*nk] {
				t := &ag.acc[mi][u].cov[ki]
				t[0] += c[0]
				t[1] += c[1]
			}
		}
	}
	clear(ag.cov)
	if ag.fees != nil {
		for mi := range ag.acc {
			for u := range nu {
				t := &ag.acc[mi][u].fees
				for r, f := range ag.fees[(mi*nu+u)*nRel : (mi*nu+u+1)*nRel] {
					t[r] += f
				}
			}
		}
		clear(ag.fees)
	}
	if ag.cost != nil {
		const per = nKind * nMode * nProf
		for mi := range ag.acc {
			for u := range nu {
				c := ag.cost[(mi*nu+u)*per : (mi*nu+u+1)*per]
				t := &ag.acc[mi][u].cost
				for k := range nKind {
					for m := range nMode {
						for p := range nProf {
							t[k][m][p] += int64(c[(k*nMode+m)*nProf+p])
						}
					}
				}
			}
		}
		clear(ag.cost)
	}
}

// dayWeighted adds person-days of one person's listings in month mi,
// splitting a listing's days at the person's birthday when it falls inside
// the month (a person born on 29 February turns a year older on 1 March
// in common years, as Date.AgeOn has it, which is never inside a month).
func (ag *aggregator) dayWeighted(p vardval.PersonIndex, per *vardval.Person, ls []vardval.Listing, mi, ci int) {
	if ag.lp != p+1 {
		ag.lf, ag.lt = ag.lf[:0], ag.lt[:0]
		for i := range ls {
			f, t := math.MinInt32, math.MaxInt32
			if !ls[i].Period.From.IsZero() {
				f = ls[i].Period.From.DayNumber()
			}
			if !ls[i].Period.To.IsZero() {
				t = ls[i].Period.To.DayNumber()
			}
			ag.lf, ag.lt = append(ag.lf, f), append(ag.lt, t)
		}
		ag.lp = p + 1
	}
	ym := ag.months[mi]
	first, last := ag.mFirst[mi], ag.mLast[mi]
	a0, split, a1 := ageUnk, -1, ageUnk // age before the split day, split day number, age from it
	if b := per.BirthDate; !b.IsZero() {
		raw := b.AgeOn(ym.First())
		a0 = min(max(raw, 0), MaxAge)
		a1 = a0
		if raw >= 0 && int(b.Month) == ym.Month && b.Day > 1 {
			split = first + int(b.Day) - 1
			a1 = min(raw+1, MaxAge)
		}
	}
	for li := range ls {
		f, t := max(ag.lf[li], first), min(ag.lt[li], last)
		if f > t {
			continue
		}
		l := &ls[li]
		acg, cni := ag.acgWeight(l, mi), ag.cni(l, mi)
		if split < 0 || a0 == a1 || split <= f || split > t {
			age := a0
			if split >= 0 && split <= f {
				age = a1
			}
			ag.add(mi, mi, l.Unit, ci, per.Sex, age, int64(t-f+1), acg, cni)
			continue
		}
		ag.add(mi, mi, l.Unit, ci, per.Sex, a0, int64(split-f), acg, cni)
		ag.add(mi, mi, l.Unit, ci, per.Sex, a1, int64(t-split+1), acg, cni)
	}
}

func (ag *aggregator) prepare() {
	ag.cuts = make([][]int32, len(ag.months))
	ag.cutDay = make([][]vardval.Date, len(ag.months))
	ag.sameWt = make([]bool, len(ag.months))
	for mi := 1; mi < len(ag.months); mi++ {
		w := ag.wt
		ag.sameWt[mi] = w.acgMissing[mi] == w.acgMissing[mi-1] && w.cniMissing[mi] == w.cniMissing[mi-1] &&
			(len(w.areaCNI) <= mi || slices.Equal(w.areaCNI[mi], w.areaCNI[mi-1])) &&
			(!w.acgByCat || slices.Equal(w.acgCat[mi], w.acgCat[mi-1]))
	}
	ag.active = make([][]window, len(ag.months))
	ag.cover = make([][]window, len(ag.months))
	for mi, ym := range ag.months {
		for _, c := range ag.reg.counts {
			ag.cuts[mi] = append(ag.cuts[mi], dk(c.Cutoff(ym)))
			ag.cutDay[mi] = append(ag.cutDay[mi], c.Cutoff(ym))
		}
		for _, k := range ag.reg.active[mi] {
			d := k.c.Cutoff(ym)
			ag.active[mi] = append(ag.active[mi], window{from: dk(d.FirstOfLastMonths(k.window).AddDays(-1)), cut: dk(d)})
		}
		for _, k := range ag.reg.coverage[mi] {
			d := k.c.Cutoff(ym)
			ag.cover[mi] = append(ag.cover[mi], window{from: dk(d.FirstOfLastMonths(k.window).AddDays(-1)), cut: dk(d)})
		}
	}
	for _, ym := range ag.months {
		ag.mFirst = append(ag.mFirst, ym.First().DayNumber())
		ag.mLast = append(ag.mLast, ym.Last().DayNumber())
	}
	ag.sums = make([]snapSum, len(ag.months)*len(ag.r.Units)*len(ag.reg.counts))
	ag.hist = make([]int32, len(ag.sums)*nSex*nAge)
	// Both are added to before they are ever written: cleared (written)
	// now, a fresh page faults once, instead of mapping the shared zero
	// page for the first read and then copying it and flushing it from
	// every core's TLB for the first write (see vardval's writeEachPage;
	// newUnitMonths clears its blocks likewise).
	clear(ag.sums)
	clear(ag.hist)
	n := 0
	for mi := range ag.months {
		ag.actOff = append(ag.actOff, n)
		n += len(ag.r.Units) * len(ag.active[mi])
	}
	ag.act = make([]int32, n)
	n = 0
	for mi := range ag.months {
		ag.covOff = append(ag.covOff, n)
		n += len(ag.r.Units) * len(ag.cover[mi])
	}
	ag.cov = make([][2]int64, n)
	clear(ag.cov) // written before it is added to: see above
	nm := len(ag.months) * len(ag.r.Units)
	if ag.reg.contacts {
		ag.cnt = make([]int32, nm*nRel*nMode*nProf)
		clear(ag.cnt) // likewise
	}
	if ag.reg.fees {
		ag.fees = make([]int64, nm*nRel)
		clear(ag.fees)
	}
	if ag.reg.cost {
		ag.cost = make([]int32, nm*nKind*nMode*nProf)
		clear(ag.cost)
	}
	ag.kinds = make([]vardval.UnitKind, len(ag.r.Units))
	for i, u := range ag.r.Units {
		ag.kinds[i] = u.Kind
	}
}

func (ag *aggregator) acgWeight(l *vardval.Listing, month int) int64 {
	if ag.wt.acgByCat {
		if l.ACG >= 0 && int(l.ACG) < len(ag.wt.acgCat[month]) {
			if w := ag.wt.acgCat[month][l.ACG]; w >= 0 {
				return w
			}
		}
		return ag.wt.acgMissing[month]
	}
	if l.HasWeight {
		return int64(l.ACGWeight)
	}
	return ag.wt.acgMissing[month]
}

func (ag *aggregator) cni(l *vardval.Listing, month int) int64 {
	return ag.wt.cniOf(l, month, ag.r)
}

// cniOf returns the CNI (millionths) listing l counts with in month.
func (w *weights) cniOf(l *vardval.Listing, month int, r *vardval.Region) int64 {
	if l.Area >= 0 && int(l.Area) < len(r.Areas) {
		if month < len(w.areaCNI) {
			if v := w.areaCNI[month][l.Area]; v >= 0 {
				return v
			}
		} else if r.Areas[l.Area].HasCNI {
			return int64(r.Areas[l.Area].CNI)
		}
	}
	return w.cniMissing[month]
}

func listingOn(ls []vardval.Listing, d vardval.Date) *vardval.Listing {
	return listingOnKey(ls, dk(d))
}

// dk packs a date into an int32 that orders like the date (0 = zero date).
func dk(d vardval.Date) int32 { return int32(d.Year)<<9 | int32(d.Month)<<5 | int32(d.Day) }

func listingOnKey(ls []vardval.Listing, k int32) *vardval.Listing {
	for i := range ls {
		p := &ls[i].Period
		if (p.From.IsZero() || dk(p.From) <= k) && (p.To.IsZero() || k <= dk(p.To)) {
			return &ls[i]
		}
	}
	return nil
}

// activeDays returns the days of listing l within the month (first and
// last: its day numbers; w.cut its last day) on which the person is
// actively listed at l's unit: listed there that day and with a contact
// at that unit in the window, on or after its first day (after w.from) and
// on or before the day (docs/semantics.md, "Actively listed").
func activeDays(l *vardval.Listing, cs []vardval.Contact, w window, first, last int) int32 {
	from, to := first, last
	if !l.Period.From.IsZero() {
		from = max(from, l.Period.From.DayNumber())
	}
	if !l.Period.To.IsZero() {
		to = min(to, l.Period.To.DayNumber())
	}
	if from > to {
		return 0
	}
	for i := range cs {
		k := dk(cs[i].Date)
		if k > w.cut {
			break
		}
		if k > w.from && cs[i].Unit == l.Unit {
			// active from the first such contact on
			from = max(from, cs[i].Date.DayNumber())
			if from > to {
				return 0
			}
			return int32(to - from + 1)
		}
	}
	return 0
}

// window is a precomputed (from, cut] day range of an active or coverage key.
type window struct{ from, cut int32 }

func ageSlot(birth, on vardval.Date) int {
	if birth.IsZero() {
		return ageUnk
	}
	a := birth.AgeOn(on)
	if a < 0 {
		a = 0
	}
	if a > MaxAge {
		a = MaxAge
	}
	return a
}

func (ag *aggregator) person(p vardval.PersonIndex) {
	r := ag.r
	nu := len(r.Units)
	per := &r.Persons[p]
	ls := r.ListingsOf(p)
	cs := r.ContactsOf(p)
	if len(ls) > 0 {
		for ci, c := range ag.reg.counts {
			if c.DayWeighted {
				for mi := range ag.months {
					ag.dayWeighted(p, per, ls, mi, ci)
				}
				continue
			}
			// Months in a row with the same unit, age and weights are
			// added as one run.
			start, unit, age, acg, cni := -1, vardval.UnitIndex(0), 0, int64(0), int64(0)
			var prev *vardval.Listing // the listing acg and cni were taken from
			for mi := range ag.months {
				l := listingOnKey(ls, ag.cuts[mi][ci])
				if l == nil {
					if start >= 0 {
						ag.add(start, mi-1, unit, ci, per.Sex, age, 1, acg, cni)
						start = -1
					}
					continue
				}
				a, g, n := ageSlot(per.BirthDate, ag.cutDay[mi][ci]), acg, cni
				if l != prev || !ag.sameWt[mi] || start < 0 {
					g, n, prev = ag.acgWeight(l, mi), ag.cni(l, mi), l
				}
				if start >= 0 && l.Unit == unit && a == age && g == acg && n == cni {
					continue
				}
				if start >= 0 {
					ag.add(start, mi-1, unit, ci, per.Sex, age, 1, acg, cni)
				}
				start, unit, age, acg, cni = mi, l.Unit, a, g, n
			}
			if start >= 0 {
				ag.add(start, len(ag.months)-1, unit, ci, per.Sex, age, 1, acg, cni)
			}
		}
		for mi := range ag.months {
			na := len(ag.active[mi])
			for ai, w := range ag.active[mi] {
				if ag.reg.active[mi][ai].c.DayWeighted {
					for li := range ls {
						if d := activeDays(&ls[li], cs, w, ag.mFirst[mi], ag.mLast[mi]); d > 0 {
							ag.act[ag.actOff[mi]+int(ls[li].Unit)*na+ai] += d
						}
					}
					continue
				}
				l := listingOnKey(ls, w.cut)
				if l == nil {
					continue
				}
				for i := range cs {
					k := dk(cs[i].Date)
					if k > w.cut {
						break
					}
					if k > w.from && cs[i].Unit == l.Unit {
						ag.act[ag.actOff[mi]+int(l.Unit)*na+ai]++
						break
					}
				}
			}
			for ki, w := range ag.cover[mi] {
				l := listingOnKey(ls, w.cut)
				if l == nil {
					continue
				}
				mask := ag.reg.coverage[mi][ki].kinds
				nk := len(ag.cover[mi])
				cv := &ag.cov[ag.covOff[mi]+int(l.Unit)*nk+ki]
				for i := range cs {
					c := &cs[i]
					k := dk(c.Date)
					if k > w.cut {
						break
					}
					if k <= w.from || mask&(1<<ag.kinds[c.Unit]) == 0 {
						continue
					}
					cv[1]++
					if c.Unit == l.Unit {
						cv[0]++
					}
				}
			}
		}
	}
	if len(cs) == 0 || len(ag.months) == 0 || !(ag.reg.contacts || ag.reg.cost || ag.reg.fees) {
		return
	}
	first := ag.months[0].Index()
	for i := range cs {
		c := &cs[i]
		mi := c.Date.YearMonth().Index() - first
		if mi < 0 || mi >= len(ag.months) {
			continue
		}
		rel := relUnlisted
		l := listingOn(ls, c.Date)
		if l != nil {
			rel = relElsewhere
			if l.Unit == c.Unit {
				rel = relHere
			}
		}
		mode, prof := c.Mode, c.Profession
		if int(mode) >= nMode {
			mode = 0
		}
		if int(prof) >= nProf {
			prof = 0
		}
		if ag.reg.contacts {
			ag.cnt[(((mi*nu+int(c.Unit))*nRel+rel)*nMode+int(mode))*nProf+int(prof)]++
		}
		if c.Fee > 0 && ag.reg.fees {
			ag.fees[(mi*nu+int(c.Unit))*nRel+rel] += c.Fee
		}
		if rel == relElsewhere && ag.reg.cost {
			kind := r.Units[c.Unit].Kind
			if int(kind) >= nKind {
				kind = 0
			}
			ag.cost[(((mi*nu+int(l.Unit))*nKind+int(kind))*nMode+int(mode))*nProf+int(prof)]++
		}
	}
}
