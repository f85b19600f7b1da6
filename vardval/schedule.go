package vardval

import (
	"context"
	"io"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/vardval/vardval/vardval/internal/arena"
	"github.com/vardval/vardval/vardval/internal/intern"
)

// halves runs fn on [0, n/2) and [n/2, n), the first half on a second
// goroutine when n is at least min. It is for the helpers outside Load
// (Extend, Validate); Load's loops use stopper.parts.
func halves(n, min int, fn func(lo, hi int)) {
	stopper{workers: 2}.parts(n, min, func(_, lo, hi int) { fn(lo, hi) })
}

// workers returns how many goroutines Load's loops may use: opts.Workers,
// or GOMAXPROCS when it is zero or negative.
func workers(opts LoadOptions) int {
	if opts.Workers > 0 {
		return opts.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// partsOf returns how many parts a loop over n items is cut into: one when
// n is below least (too little to share) or s allows one goroutine, else
// s.workers (at most n).
func (s stopper) partsOf(n, least int) int {
	if n < least || s.workers <= 1 {
		return 1
	}
	return max(1, min(s.workers, n))
}

// parts cuts [0, n) into partsOf(n, least) consecutive ranges and runs fn on
// each (part k on [k*n/parts, (k+1)*n/parts)), all but the last on their
// own goroutines, and returns when all are done. A loop that keeps
// results per part merges them in part order, so that its outcome does not
// depend on how many parts there were.
func (s stopper) parts(n, least int, fn func(k, lo, hi int)) {
	np := s.partsOf(n, least)
	if np == 1 {
		fn(0, 0, n)
		return
	}
	var wg sync.WaitGroup
	for k := range np - 1 {
		wg.Go(func() { fn(k, k*n/np, (k+1)*n/np) })
	}
	fn(np-1, (np-1)*n/np, n)
	wg.Wait()
}

// worker reads some of the files with its own person, code and clinician
// tables; Load runs two in parallel and merges them deterministically.
type worker struct {
	ld      *loader
	pt      personTable
	codes   intern.Interner
	clins   intern.Interner
	scratch []byte

	unitCache intern.Cache

	listings       chunked[Listing]
	contacts       chunked[contactRec]
	cIDs           arena.Slab // contact_id, per contact
	cLines         lineRuns   // the line of each contact
	cells          cellStore  // person_id cell, per contact, until resolveContactPersons
	personRejected int        // contacts rejected for their person_id
	// personCell's last personnummer cell and its parse.
	pnCell        []byte
	pn            Personnummer
	pnOK          bool
	contactSet    *idSet // the accepted contact ids
	diagnoses     chunked[Diagnosis]
	dRefs         chunked[contactRef]
	dIDs          arena.Slab // the dRefs' contact ids
	observations  chunked[Observation]
	prescriptions chunked[Prescription]
	// lateCells are the person_id cells of the observations (0) and
	// prescriptions (1) a read after the contacts: kept for the whole file
	// and looked up in b's table once b is done (resolveLate).
	lateCells [2]*cellStore
	late      bool // a: the files it reads after the contacts keep their cells

	// Listings already grouped by person in pseudonym order of the
	// worker's own persons (preplaceListings), when pre is true; listN is
	// their number.
	pre     bool
	preList []Listing
	preOff  []int32 // by rank in that order
	listN   int

	// lsplit, when set, cuts the listings file into parts read beside b's
	// (split_listings.go).
	lsplit *listingsSplit
}

type loader struct {
	opts    LoadOptions
	stop    stopper // the phases after the rows are read stop with ctx
	r       *Region
	areaIdx map[string]int32
	ranges  map[string]ObservationRange
	idHash  func([]byte) uint64 // finds contact id candidates; nil: idHash64 (tests set another)
}

// loadKnobs are settings tests use to reach paths that need large files
// or a given timing, and reportOnly, which Check uses.
type loadKnobs struct {
	splitMin int64         // fewest unread contact bytes worth a split
	hold     chan struct{} // when set, a waits on it after the header
	splitAt  *int64        // when set, receives where b's part started (-1: none)
	extras   *int          // when set, receives how many parts further workers read
	// listings, when set, receives how many further workers read parts of
	// the listings file and whether those parts were dropped and the
	// file read again whole (split_listings.go).
	listings *listingSplitSeen
	aLate    bool // b leaves the observations and prescriptions to a
	aRx      bool // b leaves the prescriptions to a (and reads the observations)
	bAll     bool // a takes none of them (b reads every file but the contacts)
	// reportOnly stops once every row is accounted for (Check): no
	// Region is built and nil is returned for it.
	reportOnly bool
	// pollMask, when not zero, replaces pollMask (tests cancel in every
	// loop at small sizes).
	pollMask int
	// idHash, when set, replaces idHash64 as the hash that finds contact id
	// candidates (tests make distinct ids collide).
	idHash func([]byte) uint64
}

func load(ctx context.Context, files Files, opts LoadOptions, knobs loadKnobs) (*Region, *IntakeReport, error) {
	if opts.Reference.IsZero() {
		opts.Reference = D(2024, 12, 31)
	}
	ld := &loader{opts: opts, r: &Region{}, areaIdx: map[string]int32{}, ranges: map[string]ObservationRange{}}
	ld.stop = stopper{ctx: ctx, mask: pollMask, workers: workers(opts)}
	ld.idHash = knobs.idHash
	if knobs.pollMask != 0 {
		ld.stop.mask = knobs.pollMask
	}
	for _, o := range ObservationRanges() {
		ld.ranges[o.Code] = o
	}
	rep := &IntakeReport{Files: make([]FileReport, nMainFiles+len(followupNames()))}
	type step struct {
		name     string
		rd       io.Reader
		spec     []column
		required bool
		fn       func(*worker, context.Context, *table) error
	}
	steps := []step{
		{FileUnits, files.Units, cols([]string{"unit_id", "name", "kind"}, "municipality", "owner", "from", "to"), true, (*worker).units},
		{FileAreas, files.Areas, cols([]string{"area"}, append([]string{"name", "cni"}, CensusVariables()...)...), false, (*worker).areas},
		{FileListings, files.Listings, cols([]string{"person_id", "unit_id", "from"}, "to", "sex", "birth_date", "area", "acg", "acg_weight"), true, (*worker).listingsFile},
		{FileContacts, files.Contacts, cols([]string{"contact_id", "person_id", "unit_id", "date", "mode", "profession"}, "urgent", "fee", "requested", "new_problem", "clinician"), false, (*worker).contactsFile},
		{FileDiagnoses, files.Diagnoses, cols([]string{"person_id", "date", "code"}, "unit_id", "contact_id"), false, (*worker).diagnosesFile},
		{FileObservations, files.Observations, cols([]string{"person_id", "date", "code", "value"}, "unit_id"), false, (*worker).observationsFile},
		{FilePrescriptions, files.Prescriptions, cols([]string{"person_id", "date", "atc"}, "unit_id", "ddd"), false, (*worker).prescriptionsFile},
	}
	// Optional files the caller does not read are not handed to intake.
	skipped := make([]bool, len(rep.Files))
	for i, s := range steps {
		rep.Files[i].File = s.name
		if !s.required && s.rd != nil && slices.Contains(opts.Skip, s.name) {
			steps[i].rd, skipped[i] = nil, true
		}
	}
	// The follow-up files are read last, once the others are (readFollowup).
	fsteps := followupSteps(files)
	for i, s := range fsteps {
		rep.Files[nMainFiles+i].File = s.name
		skipped[nMainFiles+i] = s.rd != nil && slices.Contains(opts.Skip, s.name)
	}
	skipFollowup := func(name string) bool { return slices.Contains(opts.Skip, name) }
	// run reads step i; it reports whether a required file failed.
	run := func(ctx context.Context, i int, w *worker) bool {
		s, fr := steps[i], &rep.Files[i]
		if t := open(s.name, s.rd, s.spec, s.required, fr); t != nil {
			_ = s.fn(w, ctx, t)
		}
		return fr.fatal != nil && s.required
	}
	// skip marks steps idx as not read because the required file failed.
	skip := func(failed string, idx ...int) {
		for _, i := range idx {
			name, rd := "", io.Reader(nil)
			if i < nMainFiles {
				name, rd = steps[i].name, steps[i].rd
			} else {
				name, rd = fsteps[i-nMainFiles].name, fsteps[i-nMainFiles].rd
				if skipped[i] {
					rd = nil
				}
			}
			rep.Files[i] = FileReport{File: name, Present: rd != nil}
			if rd != nil {
				rep.Files[i].blockedBy = failed
				rep.Files[i].Error = "not read: " + failed + " could not be read"
			}
		}
	}
	done := func() {
		for i := range rep.Files {
			rep.Files[i].finish()
			rep.Files[i].Skipped = rep.Files[i].Skipped || skipped[i]
		}
	}
	// a reads the contacts, b everything else, unless a, done first,
	// claims the prescriptions and observations: only b keeps persons.
	a, b := ld.newWorker(false), ld.newWorker(true)
	if run(ctx, 0, b) {
		skip(FileUnits, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
		done()
		return nil, rep, rep.Files[0].fatal
	}
	run(ctx, 1, b)
	if err := ctx.Err(); err != nil {
		done()
		return nil, rep, err
	}
	actx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	// contactsDone: a has read the contacts (their persons are resolved
	// against b's table once both are done).
	var contactsDone atomic.Bool
	// The contacts may be read in two parts on both cores (split.go).
	var split *contactsSplit
	contacts := steps[3]
	if sr, ok := splittable(contacts.rd); ok && ld.stop.workers > 1 {
		split = &contactsSplit{sr: sr, ready: make(chan *table, 1), start: -1}
		split.sr.min = knobs.splitMin
		contacts.rd = split.sr
	}
	// release lets a go on when a test holds it until b has split.
	var once sync.Once
	release := func() {
		if knobs.hold != nil {
			once.Do(func() { close(knobs.hold) })
		}
	}
	readContacts := func(ctx context.Context) {
		t := open(contacts.name, contacts.rd, contacts.spec, false, &rep.Files[3])
		if split != nil {
			split.readExtras(ctx, ld, t, ld.stop.workers)
			split.ready <- t
		}
		if knobs.hold != nil && split != nil {
			<-knobs.hold
		}
		if t != nil {
			_ = a.contactsFile(ctx, t)
		}
	}
	// After the listings b reads the diagnoses, observations and
	// prescriptions in turn; a, done with the contacts first, takes the
	// prescriptions and then the observations if b has not begun them
	// (their persons are looked up once b is done: resolveLate).
	var claimed [7]atomic.Bool
	bLast := 6
	switch {
	case knobs.aLate:
		bLast = 4
	case knobs.aRx:
		bLast = 5
	}
	// a's part: on its own goroutine, or after b's with one worker.
	aPart := func() {
		readContacts(actx)
		contactsDone.Store(true)
		for i := 6; i >= 5 && actx.Err() == nil && !knobs.bAll; i-- {
			if claimed[i].CompareAndSwap(false, true) {
				a.late = true
				run(actx, i, a)
			}
		}
	}
	if ld.stop.workers > 1 {
		wg.Go(aPart)
	}
	// With four workers or more the listings may be read in parts too
	// (split_listings.go); when a cut was not safe, b reads them again.
	var lsplit *listingsSplit
	if n := listingParts(ld.stop.workers); n > 1 && steps[2].rd != nil {
		if sr, ok := splittable(steps[2].rd); ok {
			sr.min = knobs.splitMin
			lsplit = &listingsSplit{sr: sr, parts: n}
			steps[2].rd, b.lsplit = sr, lsplit
		}
	}
	listingsFailed := run(ctx, 2, b)
	if lsplit != nil {
		b.lsplit = nil
		if knobs.listings != nil {
			*knobs.listings = listingSplitSeen{extras: lsplit.n, again: lsplit.again}
		}
		if lsplit.again {
			steps[2].rd = io.NewSectionReader(lsplit.sr.src, lsplit.sr.start, lsplit.sr.src.Size()-lsplit.sr.start)
			rep.Files[2] = FileReport{File: FileListings}
			listingsFailed = run(ctx, 2, b)
		}
	}
	if listingsFailed {
		cancel()
	} else {
		for i := 4; i <= bLast && ctx.Err() == nil; i++ {
			if claimed[i].CompareAndSwap(false, true) {
				run(ctx, i, b)
			}
		}
	}
	// While the contacts are still being read, pseudonymise b's persons
	// (those of the listings and the files b read) and put them in
	// pseudonym order: the merge keeps b's persons first, so their keys
	// and order stay valid (persons only met in the contacts, or in the
	// files a read, are merged in).
	var bSums []byte
	var bOrder []int32
	if !listingsFailed && ctx.Err() == nil {
		if !knobs.reportOnly {
			bSums = make([]byte, 10*len(b.pt.drafts))
			ld.pseudonyms(b.pt.drafts, 0, &b.pt.ids, bSums).Wait()
			bOrder = pseudonymOrder(ld.stop, b.pt.drafts, &b.pt.ids, bSums)
			if !contactsDone.Load() && bOrder != nil {
				// Still waiting: place the listings in that order too.
				b.preplaceListings(bOrder)
			}
		}
		if split != nil && !contactsDone.Load() {
			// Still waiting: read the second half of what a has left.
			split.readSecondHalf(ctx, b, release)
		}
	}
	release()
	wg.Wait()
	if split != nil {
		split.wg.Wait() // the further workers' parts of the contacts
	}
	if ld.stop.workers <= 1 && !listingsFailed && ctx.Err() == nil {
		aPart()
	}
	if err := ctx.Err(); err != nil {
		done()
		return nil, rep, err
	}
	if listingsFailed {
		// A required file failed: later files cannot be checked against it.
		skip(FileListings, 3, 4, 5, 6, 7, 8, 9, 10, 11)
		done()
		return nil, rep, rep.Files[2].fatal
	}
	if split != nil && knobs.splitAt != nil {
		*knobs.splitAt = split.start
	}
	if split != nil && knobs.extras != nil {
		*knobs.extras = len(split.extras)
	}
	if split != nil {
		split.merge(a, b, &rep.Files[3], func() {
			contacts.rd = io.NewSectionReader(split.sr.src, split.sr.start, split.sr.src.Size()-split.sr.start)
			rep.Files[3] = FileReport{}
			split = nil
			readContacts(ctx)
		})
		if err := ctx.Err(); err != nil {
			done()
			return nil, rep, err
		}
	}
	// From here on no rows are read: each phase's loops stop with ctx
	// (stopper), and a stopped phase is not followed by the next.
	cancelled := func() bool {
		if ctx.Err() == nil {
			return false
		}
		done()
		return true
	}
	var contactsOut []Contact
	if !knobs.reportOnly {
		contactsOut = ld.contactsAhead(a)
	}
	resolveContactPersons(a, b, &rep.Files[3])
	resolveLate(a, b, &rep.Files[5], &rep.Files[6])
	if cancelled() {
		return nil, rep, ctx.Err()
	}
	// The contact ids are checked: duplicates first, then the diagnoses'
	// contact_id, on a goroutine that resolved waits for (finish needs the
	// result only before it copies the diagnoses). When diagnoses name
	// contact ids (and in Check) that is done now, beside the merge and
	// pseudonymisation of the persons; else finish does it once it has
	// dropped the person table, so that the two are not held at once.
	checkIDs := func(resolved *sync.WaitGroup) bool {
		a.finishContacts(&rep.Files[3], true, b.dRefs.N > 0)
		if ld.stop.now() {
			return false
		}
		resolved.Go(func() {
			b.resolveContactRefs(a.contactSet, &rep.Files[4])
			a.contactSet = nil
		})
		return true
	}
	var resolved sync.WaitGroup
	late := checkIDs
	if knobs.reportOnly || b.dRefs.N > 0 {
		late = nil
		if !checkIDs(&resolved) {
			resolved.Wait()
			done()
			return nil, rep, ctx.Err()
		}
	}
	if knobs.reportOnly {
		resolved.Wait()
		if cancelled() {
			return nil, rep, ctx.Err()
		}
		if err := ld.readFollowup(ctx, files, skipFollowup, rep.Files[nMainFiles:], false); err != nil {
			done()
			return nil, rep, err
		}
		done()
		return nil, rep, nil
	}
	if !ld.finish(a, b, bSums, bOrder, contactsOut, &resolved, late) {
		done()
		return nil, rep, ctx.Err()
	}
	if err := ld.readFollowup(ctx, files, skipFollowup, rep.Files[nMainFiles:], true); err != nil {
		done()
		return nil, rep, err
	}
	done()
	specs := make([][]column, 0, len(rep.Files))
	for _, s := range steps {
		specs = append(specs, s.spec)
	}
	for _, s := range followupSteps(files) {
		specs = append(specs, s.spec)
	}
	ld.r.notGiven = notGiven(rep, specs)
	// The Region is valid by construction: Validate's fast path.
	ld.r.sealUp()
	return ld.r, rep, nil
}

func (ld *loader) newWorker(persons bool) *worker {
	w := &worker{ld: ld, pt: newPersonTable(ld.opts.Reference)}
	if h := ld.opts.PersonsHint; h > 0 && persons {
		h = min(h, 1<<24)
		w.pt.drafts = make([]personDraft, 0, h)
		w.pt.ids.Reserve(h)
	}
	return w
}
