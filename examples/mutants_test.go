package examples_test

import (
	"errors"
	"math/rand"
	"slices"
	"strings"
	"testing"

	"github.com/vardval/vardval/examples"
	"github.com/vardval/vardval/payment"
)

// TestSchemaAgreesOnMutants changes one line of a valid model at a time
// (deletes it, replaces its value or its key, or copies in a line of another
// model) and checks that the schema and model check agree on every
// result: both accept it, both refuse it, or model check refuses it for
// parserOnly mistakes alone. The changes are drawn from a fixed seed, so a
// failure repeats.
func TestSchemaAgreesOnMutants(t *testing.T) {
	n := 1500
	if testing.Short() {
		n = 200
	}
	sch := compileSchema(t)
	var bases [][]string
	for _, m := range examples.Models() {
		bases = append(bases, strings.Split(string(m.Data), "\n"))
	}
	for _, f := range readDir(t, "valid") {
		bases = append(bases, strings.Split(string(f.data), "\n"))
	}
	values := []string{`""`, "x", "-1", "1e2", "Foo", "2024-13-01", "[]", "{}", "0.5", "200", "2024-02-01", "any",
		"listed", "1,5", "7", "~", "true", "cutoff-day-0", "[a]", `"1.0000000"`, `"-0"`, `"0120"`, `" 5 "`,
		"capitation", "pool_split", "goal", "limit", "acg", "cni", "active", "age_sex", "weights", "cap", "total",
		"category", "person", "[cap]", "[primary]", `"0.5"`, "2024-01-01", "not_found", "assumption"}
	keys := []string{"type", "index", "kind", "relation", "sex", "ages", "basis", "target", "of", "kinds", "from",
		"to", "value", "source", "assumption", "style", "better", "measure", "per", "counting", "window_months",
		"share", "shares", "missing_weight", "categories", "code", "unit", "items", "fees", "prices", "rate", "min",
		"max", "lower", "upper", "points", "percent", "pool_per_month", "weights", "values", "rates", "id", "name",
		"note", "title", "model", "valid", "assumptions", "tables", "acg", "cni", "active", "components", "extra"}
	r := rand.New(rand.NewSource(1))
	counts := map[string]int{}
	for range n {
		base := bases[r.Intn(len(bases))]
		lines := slices.Clone(base)
		j := 2 + r.Intn(len(lines)-3) // keep the comment lines
		l := lines[j]
		k := strings.Index(l, ":")
		ind := len(l) - len(strings.TrimLeft(l, " -"))
		switch op := r.Intn(4); {
		case op == 0:
			lines = slices.Delete(lines, j, j+1)
		case op == 1 && k >= 0:
			lines[j] = l[:k+1] + " " + values[r.Intn(len(values))]
		case op == 2 && k >= 0:
			lines[j] = l[:ind] + keys[r.Intn(len(keys))] + l[k:]
		default:
			other := bases[r.Intn(len(bases))]
			lines = slices.Insert(lines, j, other[2+r.Intn(len(other)-3)])
		}
		data := []byte(strings.Join(lines, "\n"))
		perr := payment.CheckModel(data, payment.ParseOptions{File: "m.yaml"})
		serr := schemaCheck(sch, data)
		switch {
		case perr == nil && serr == nil:
			counts["both accept"]++
		case perr != nil && serr != nil:
			counts["both refuse"]++
		case perr == nil:
			t.Errorf("the schema refuses what model check accepts: %v\n%s", serr, around(lines, j))
		case parserOnlyMistakes(perr):
			counts["parser only"]++
		default:
			t.Errorf("the schema accepts what model check refuses: %v\n%s", perr, around(lines, j))
		}
	}
	// A change that never makes a model invalid would test nothing.
	if counts["both refuse"] < n/4 || counts["both accept"] == 0 {
		t.Errorf("mutants: %v", counts)
	}
}

// parserOnlyMistakes reports whether every problem in err is a parserOnly one.
func parserOnlyMistakes(err error) bool {
	for _, e := range joined(err) {
		var me *payment.ModelError
		if !errors.As(e, &me) || !slices.ContainsFunc(parserOnly, func(s string) bool { return strings.Contains(me.Reason, s) }) {
			return false
		}
	}
	return true
}

func around(lines []string, j int) string {
	return strings.Join(lines[max(0, j-3):min(len(lines), j+3)], "\n")
}
