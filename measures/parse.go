package measures

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
	"gopkg.in/yaml.v3"

	"github.com/vardval/vardval/internal/yamlmap"
	"github.com/vardval/vardval/vardval"
)

// DefinitionOptions adjusts ParseDefinitions. The zero value reads
// definitions with no file name, naming the data contract's observation
// codes only.
type DefinitionOptions struct {
	// File is the file name errors and Definition.Origin give.
	File string
	// ObservationCodes are observation codes a definition may name beside
	// the data contract's (vardval.ObservationRanges).
	ObservationCodes []string
}

// maxDefinitionBytes bounds what ParseDefinitions reads.
const maxDefinitionBytes = 16 << 20

// ParseDefinitions reads measure definitions in the YAML form of the
// embedded definitions.yaml (a top-level "measures" list; the keys are
// described in the package documentation) and checks them. It returns
// every problem it finds, each a *DefinitionError giving file, line and
// key path, joined with errors.Join: unknown and missing keys, a key of
// another rule, an unknown kind, rule or direction, a kind that does not
// fit the rule, a proportion's scale other than 1 or 100, an unknown
// observation code, bad dates and windows, and duplicate ids. The order
// of the list is the output order. To use the definitions beside the
// built-in ones, pass them to [Registry.Extend].
func ParseDefinitions(r io.Reader, opts DefinitionOptions) ([]Definition, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxDefinitionBytes+1))
	if err != nil {
		return nil, &DefinitionError{File: opts.File, Reason: "cannot read: " + err.Error(), Err: err}
	}
	if len(data) > maxDefinitionBytes {
		return nil, &DefinitionError{File: opts.File, Reason: fmt.Sprintf("larger than %d MiB", maxDefinitionBytes>>20)}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, yamlError(opts.File, err)
	}
	w := &walker{file: opts.File, lines: map[string]int{}, alias: map[string]string{}}
	var root *yaml.Node
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		root = doc.Content[0]
	}
	if root == nil {
		return nil, &DefinitionError{File: opts.File, Key: "measures", Reason: "no measures defined", Err: &MissingKeyError{Key: "measures"}}
	}
	top := w.obj("", root)
	items, _ := top.seq("measures", true)
	top.done()
	codes := newCodeSet(opts.ObservationCodes)
	var out []Definition
	first := map[string]Origin{}
	for i, item := range items {
		before := len(w.errs)
		d := w.definition(index("measures", i), item)
		walked := len(w.errs)
		for _, p := range checkDefinition(&d, codes) {
			w.report(d.Origin.Key, d.ID, p)
		}
		// A problem the walk reported (a missing or unreadable key) is not
		// reported again by the checks.
		w.errs = append(w.errs[:walked], slices.DeleteFunc(w.errs[walked:], func(err error) bool {
			return reportedAt(w.errs[before:walked], err.(*DefinitionError).Key)
		})...)
		if len(w.errs) > before {
			continue
		}
		if o, dup := first[d.ID]; dup {
			w.report(d.Origin.Key, d.ID, failErr("id", &DuplicateMeasureError{ID: d.ID, First: o}))
			continue
		}
		first[d.ID] = d.Origin
		out = append(out, d)
	}
	if len(w.errs) > 0 {
		slices.SortStableFunc(w.errs, func(a, b error) int { return a.(*DefinitionError).Line - b.(*DefinitionError).Line })
		return nil, errors.Join(w.errs...)
	}
	return out, nil
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlError turns a YAML syntax error into a *DefinitionError with its line.
func yamlError(file string, err error) error {
	de := &DefinitionError{File: file, Reason: "not valid yaml", Err: err}
	msg := err.Error()
	if te, ok := err.(*yaml.TypeError); ok && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		de.Line, _ = strconv.Atoi(m[1])
		de.Reason = "not valid yaml: " + clip(m[2])
	}
	return de
}

// walker decodes a yaml.Node tree into definitions, collecting
// *DefinitionErrors.
type walker struct {
	file  string
	errs  []error
	lines map[string]int    // key path → line of its value
	alias map[string]string // rule check key prefix → key path (windows.followup → windows[0])
}

// failAt reports a problem at key path (line of n, when not nil).
func (w *walker) failAt(path, id string, n *yaml.Node, reason string, err error) {
	line := 0
	if n != nil {
		line = n.Line
	} else {
		line = w.lineOf(path)
	}
	w.errs = append(w.errs, &DefinitionError{File: w.file, Line: line, Key: path, ID: id, Reason: reason, Err: err})
}

func (w *walker) fail(path string, n *yaml.Node, format string, args ...any) {
	for i, a := range args {
		if s, ok := a.(string); ok {
			args[i] = clip(s)
		}
	}
	w.failAt(path, "", n, fmt.Sprintf(format, args...), nil)
}

func (w *walker) failErr(path string, n *yaml.Node, err error) {
	w.failAt(path, "", n, err.Error(), err)
}

// report locates p, a problem of the definition at path def.
func (w *walker) report(def, id string, p problem) {
	key := p.key
	for from, to := range w.alias {
		if strings.HasPrefix(key, from) && strings.HasPrefix(to, def+".") {
			key = strings.TrimPrefix(to, def+".") + strings.TrimPrefix(key, from)
			break
		}
	}
	path := join(def, key)
	w.errs = append(w.errs, &DefinitionError{File: w.file, Line: w.lineOf(path), Key: path, ID: id, Reason: p.reason, Err: p.err})
}

// lineOf returns the line of key path, or of the nearest key path it
// lies under that has one.
func (w *walker) lineOf(path string) int {
	for k := path; k != ""; k = parentKey(k) {
		if l, ok := w.lines[k]; ok {
			return l
		}
	}
	return 0
}

// reportedAt reports whether one of errs is at key or at a key path
// that key lies under.
func reportedAt(errs []error, key string) bool {
	for _, err := range errs {
		k := err.(*DefinitionError).Key
		if k == key || strings.HasPrefix(key, k+".") || strings.HasPrefix(key, k+"[") {
			return true
		}
	}
	return false
}

// parentKey drops the last segment of a key path.
func parentKey(k string) string {
	i := strings.LastIndexAny(k, ".[")
	if i < 0 {
		return ""
	}
	return k[:i]
}

// join and index write key paths (yamlmap.Join, yamlmap.Index).
func join(path, key string) string { return yamlmap.Join(path, key) }

func index(path string, i int) string { return yamlmap.Index(path, i) }

// obj is a YAML mapping being decoded; keys not taken are reported by done.
type obj struct {
	w    *walker
	path string
	node *yaml.Node
	m    *yamlmap.Mapping
}

// problem reports a shared reading problem of yamlmap as a DefinitionError.
func (w *walker) problem(path string, n *yaml.Node, reason string) { w.fail(path, n, "%s", reason) }

func (w *walker) obj(path string, n *yaml.Node) *obj {
	if n != nil {
		w.lines[path] = n.Line
	}
	o := &obj{w: w, path: path, node: n, m: yamlmap.Read(path, n, w.problem)}
	for _, k := range o.m.Keys() {
		w.lines[join(path, k)] = o.m.KeyLine(k)
	}
	return o
}

// get returns the value of key, or nil.
func (o *obj) get(key string) *yaml.Node { return o.m.Get(key) }

// done reports every key that nobody took; a key of another rule than
// rule says so.
func (o *obj) done(rule ...string) {
	for _, k := range o.m.Unused() {
		e := &UnknownKeyError{Key: k}
		if len(rule) > 0 && slices.Contains(ruleKeys(), k) {
			e.Rule = rule[0]
		}
		o.w.failErr(join(o.path, k), o.m.Value(k), e)
	}
}

func (o *obj) missing(key string) {
	o.w.failErr(join(o.path, key), o.node, &MissingKeyError{Key: key})
}

// scalar returns n's text, trimmed, when n is a plain value.
func (w *walker) scalar(path string, n *yaml.Node) (string, bool) {
	v, ok := yamlmap.Scalar(path, n, w.problem)
	return strings.TrimSpace(v), ok
}

// str returns a string key; a required key that is missing or empty fails.
func (o *obj) str(key string, required bool) string {
	n := o.get(key)
	if n == nil {
		if required {
			o.missing(key)
		}
		return ""
	}
	s, ok := o.w.scalar(join(o.path, key), n)
	if ok && required && s == "" {
		o.w.fail(join(o.path, key), n, "must not be empty")
	}
	return s
}

// integer returns a whole-number key (0 when missing) and whether it was given.
func (o *obj) integer(key string, required bool) (int, bool) {
	s := o.str(key, required)
	if s == "" {
		return 0, false
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < -1_000_000 || v > 1_000_000 {
		o.w.fail(join(o.path, key), o.get(key), "not a whole number: %q", s)
		return 0, false
	}
	return v, true
}

// boolean returns a true/false key (false when missing).
func (o *obj) boolean(key string) bool {
	s := o.str(key, false)
	switch s {
	case "", "false":
		return false
	case "true":
		return true
	}
	o.w.fail(join(o.path, key), o.get(key), "must be true or false, not %q", s)
	return false
}

// dec returns an exact decimal key (never through a float) and whether it
// was given.
func (o *obj) dec(key string, required bool) (decimal.Decimal, bool) {
	s := o.str(key, required)
	if s == "" {
		return decimal.Zero, false
	}
	d, err := decimal.NewFromString(s)
	if err != nil || len(s) > 40 {
		o.w.fail(join(o.path, key), o.get(key), "not a decimal number: %q", s)
		return decimal.Zero, false
	}
	return d, true
}

// date returns a date key YYYY-MM-DD.
func (o *obj) date(key string, required bool) vardval.Date {
	s := o.str(key, required)
	if s == "" {
		return vardval.Date{}
	}
	d, err := vardval.ParseDate(s)
	if err != nil {
		o.w.failErr(join(o.path, key), o.get(key), &DefinitionDateError{Value: s})
	}
	return d
}

// seq returns the items of a list key (nil when missing) and its path.
func (o *obj) seq(key string, required bool) ([]*yaml.Node, string) {
	n := o.get(key)
	p := join(o.path, key)
	if n == nil {
		if required {
			o.missing(key)
		}
		return nil, p
	}
	if n.Kind != yaml.SequenceNode {
		o.w.fail(p, n, "expected a list")
		return nil, p
	}
	if required && len(n.Content) == 0 {
		o.w.fail(p, n, "must not be empty")
	}
	for i, item := range n.Content {
		o.w.lines[index(p, i)] = item.Line
	}
	return n.Content, p
}

// strs returns a list of plain values.
func (o *obj) strs(key string) []string {
	items, p := o.seq(key, false)
	var out []string
	for i, n := range items {
		if s, ok := o.w.scalar(index(p, i), n); ok {
			out = append(out, s)
		}
	}
	return out
}

// sub returns the mapping under key, or nil when it is not given.
func (o *obj) sub(key string) *obj {
	n := o.get(key)
	if n == nil {
		return nil
	}
	return o.w.obj(join(o.path, key), n)
}

// definition reads one list item of "measures".
func (w *walker) definition(path string, n *yaml.Node) Definition {
	o := w.obj(path, n)
	d := Definition{Origin: Origin{File: w.file, Line: n.Line, Key: path}}
	d.ID = o.str("id", true)
	d.NameSV = o.str("name_sv", true)
	d.NameEN = o.str("name_en", true)
	d.Kind = Kind(o.str("kind", true))
	scale, given := o.integer("scale", false)
	switch {
	case given:
		d.Scale = int64(scale)
	case d.Kind == Rate:
		o.missing("scale")
	default:
		d.Scale = 1
	}
	d.Counts = o.str("counts", false)
	d.Status = o.str("status", false)
	d.Reason = o.str("reason", false)
	d.Differences = o.str("differences", false)
	d.Numerator = o.str("numerator", false)
	d.Exclusions = o.strs("exclusions")
	if d.MinDenominator, given = o.dec("min_denominator", true); given && d.MinDenominator.IsNegative() {
		w.fail(join(path, "min_denominator"), o.get("min_denominator"), "must not be negative")
	}
	d.MinPatients, _ = o.integer("min_patients", false)
	if d.SmallCount, given = o.integer("small_count", false); given {
		switch {
		case d.SmallCount < 0:
			w.fail(join(path, "small_count"), o.get("small_count"), "must not be negative (0 turns small-count suppression off)")
		case d.SmallCount == 0:
			d.SmallCount = -1
		}
	}
	d.Direction = Direction(o.str("direction", true))
	if t := o.sub("target"); t != nil {
		v, _ := t.dec("value", true)
		d.Target = &Target{Value: v, Note: t.str("note", false)}
		t.done()
	}
	d.Standardise = o.boolean("standardise")
	items, sp := o.seq("sources", true)
	for j, item := range items {
		s := w.obj(index(sp, j), item)
		d.Sources = append(d.Sources, Source{From: s.date("from", true), Source: s.str("source", true), Note: s.str("note", false)})
		s.done()
	}
	if p := o.sub("population"); p != nil {
		d.Population = w.population(p)
	} else {
		o.missing("population")
	}
	rule := o.str("rule", true)
	if rule != "" {
		var ok bool
		if d.Rule, ok = w.rule(rule, o); !ok {
			w.fail(join(path, "rule"), o.get("rule"), "unknown rule %q (%s)", rule, strings.Join(ruleNames(), ", "))
		}
	}
	o.done(rule)
	return d
}

// population reads the "population" mapping.
func (w *walker) population(o *obj) Population {
	p := Population{Description: o.str("description", false), ListedOn: o.str("listed_on", true)}
	p.AgeMin, _ = o.integer("age_min", false)
	p.AgeMax, _ = o.integer("age_max", false)
	if dg := o.sub("diagnoses"); dg != nil {
		cw := &CodeWindow{RelativeTo: dg.str("relative_to", true)}
		for _, s := range dg.strs("prefixes") {
			cw.Prefixes = append(cw.Prefixes, normaliseCode(s))
		}
		for _, s := range dg.strs("exclude_prefixes") {
			cw.ExcludePrefixes = append(cw.ExcludePrefixes, normaliseCode(s))
		}
		cw.FromDays, _ = dg.integer("from_days", false)
		cw.ToDays, _ = dg.integer("to_days", false)
		dg.done()
		p.Diagnoses = cw
	}
	if c := o.sub("contacts"); c != nil {
		cf := &ContactFilter{}
		for k, s := range c.strs("unit_kinds") {
			if v, ok := enumByName(s, vardval.KindPrimary, vardval.KindDigital); ok {
				cf.UnitKinds = append(cf.UnitKinds, v)
			} else {
				w.fail(index(join(c.path, "unit_kinds"), k), nil, "unknown unit kind %q", s)
			}
		}
		for k, s := range c.strs("professions") {
			if v, ok := enumByName(s, vardval.Doctor, vardval.OtherProfession); ok {
				cf.Professions = append(cf.Professions, v)
			} else {
				w.fail(index(join(c.path, "professions"), k), nil, "unknown profession %q", s)
			}
		}
		for k, s := range c.strs("modes") {
			if v, ok := enumByName(s, vardval.ModeVisit, vardval.ModeChat); ok {
				cf.Modes = append(cf.Modes, v)
			} else {
				w.fail(index(join(c.path, "modes"), k), nil, "unknown mode %q", s)
			}
		}
		cf.NewProblem = c.boolean("new_problem")
		cf.Requested = c.boolean("requested")
		cf.Clinician = c.boolean("clinician")
		cf.AtListedUnit = c.boolean("at_listed_unit")
		cf.MinPerPerson, _ = c.integer("min_per_person", false)
		c.done()
		p.Contacts = cf
	}
	if a := o.sub("atc"); a != nil {
		p.ATC = &ATCFilter{Include: upperAll(a.strs("include")), Exclude: upperAll(a.strs("exclude"))}
		a.done()
	}
	o.done()
	return p
}

// windows reads the "windows" list: each window by name, with its key
// path recorded as the alias "windows.NAME" for the rule's checks. A name
// not in names, or given twice, fails.
func (w *walker) windows(o *obj, rule string, names ...string) map[string]Window {
	items, p := o.seq("windows", false)
	out := map[string]Window{}
	for i, item := range items {
		ip := index(p, i)
		wo := w.obj(ip, item)
		win := Window{Name: wo.str("name", true), RelativeTo: wo.str("relative_to", false)}
		win.FromDays, _ = wo.integer("from_days", false)
		win.ToDays, _ = wo.integer("to_days", false)
		win.Months, _ = wo.integer("months", false)
		wo.done()
		switch {
		case win.Name == "":
		case !slices.Contains(names, win.Name):
			w.failErr(join(ip, "name"), wo.get("name"), &WindowError{Name: win.Name, Reason: fmt.Sprintf("rule %s takes no such window (%s)", rule, strings.Join(names, ", "))})
		case out[win.Name].Name != "":
			w.failErr(join(ip, "name"), wo.get("name"), &WindowError{Name: win.Name, Reason: "given twice"})
		default:
			out[win.Name] = win
			w.alias["windows."+win.Name] = ip
		}
	}
	return out
}

// requireWindow returns the window named name, reporting it when
// missing; a window with no relative_to gets anchor.
func (w *walker) requireWindow(o *obj, ws map[string]Window, name, anchor string) Window {
	win, ok := ws[name]
	if !ok {
		w.failErr(join(o.path, "windows"), o.node, &WindowError{Name: name, Reason: "required"})
	}
	if win.RelativeTo == "" {
		win.RelativeTo = anchor
	}
	return win
}

// ruleNames lists the rule names, for messages.
func ruleNames() []string {
	return []string{RuleSustainedRemission, RuleRemissionFollowup, RuleCareGuarantee, RuleContinuityCOC,
		RuleContinuityUPC, RuleOwnUnitShare, RuleEventRate, RuleLatestObservation, RuleLatestBloodPressure,
		RulePolypharmacy, RuleProcedureShare, RuleAdmissionRate, RuleEmployedContacts, RuleCallsSameDay,
		RuleSurveyPositive}
}

// ruleKeys lists the keys that belong to one rule or another.
func ruleKeys() []string {
	return []string{"instruments", "windows", "within_days", "licensed_assessment", "event", "observation",
		"blood_pressure", "min_drugs", "procedures", "admissions", "survey"}
}

// rule reads the parameters of the rule named name from o; false when
// there is no such rule.
func (w *walker) rule(name string, o *obj) (Rule, bool) {
	switch name {
	case RuleSustainedRemission:
		return w.sustainedRemission(o), true
	case RuleRemissionFollowup:
		return w.remissionFollowup(o), true
	case RuleCareGuarantee:
		return w.careGuarantee(o), true
	case RuleContinuityCOC:
		return &Continuity{Index: COC}, true
	case RuleContinuityUPC:
		return &Continuity{Index: UPC}, true
	case RuleOwnUnitShare:
		return w.ownUnitShare(o), true
	case RuleEventRate:
		return w.eventRate(o), true
	case RuleLatestObservation:
		return w.latestObservation(o), true
	case RuleLatestBloodPressure:
		return w.latestBloodPressure(o), true
	case RulePolypharmacy:
		return w.polypharmacy(o), true
	case RuleProcedureShare:
		return w.procedureShare(o), true
	case RuleAdmissionRate:
		return w.admissionRate(o), true
	case RuleEmployedContacts:
		return &EmployedContacts{}, true
	case RuleCallsSameDay:
		return &CallsSameDay{}, true
	case RuleSurveyPositive:
		return w.surveyPositive(o), true
	}
	return nil, false
}
