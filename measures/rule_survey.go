package measures

import (
	"strings"

	"github.com/vardval/vardval/vardval"
)

// SurveyPositive is rule survey_positive: of a primary-care unit's
// respondents to the survey question Question (survey.csv, compared in
// lower case) in survey periods that lie wholly within the measurement
// period, the share who answered positively: Σ positive / Σ respondents.
// Kind proportion; the population is the unit's respondents (listed_on
// none). Keys: survey {question} (required).
type SurveyPositive struct {
	Question string // lower-case
}

// Name returns "survey_positive".
func (r *SurveyPositive) Name() string { return RuleSurveyPositive }

// Kind returns Proportion.
func (r *SurveyPositive) Kind() Kind { return Proportion }

func (r *SurveyPositive) check(d *Definition, codes codeSet) []problem {
	ps := needListedOn(&d.Population, listedOnNone)
	if r.Question == "" || strings.ContainsAny(r.Question, "\r\n") {
		ps = append(ps, failErr("survey.question", &MissingKeyError{Key: "question"}))
	}
	return ps
}

func (r *SurveyPositive) compile(e *engine, s *spec) {}

// tally does nothing per person: survey results are per unit (tallyUnits).
func (r *SurveyPositive) tally(e *engine, pd *personData, s *spec, si int, a *accum, sc *scratch) {}

func (r *SurveyPositive) tallyUnits(e *engine, s *spec, si int, a *accum) {
	for _, x := range e.fu.Survey {
		if x.Unit < 0 || int(x.Unit) >= e.nUnits || !e.primary[x.Unit] || x.Question != r.Question ||
			x.Period.From.Before(e.period.From) || x.Period.To.After(e.period.To) {
			continue
		}
		t := &a.t[si*e.nUnits+int(x.Unit)]
		t.num += x.Positive
		t.den += x.Respondents
	}
}

func (r *SurveyPositive) clone() Rule { c := *r; return &c }

func (w *walker) surveyPositive(o *obj) Rule {
	r := &SurveyPositive{}
	if p := o.sub("survey"); p != nil {
		r.Question = strings.ToLower(p.str("question", true))
		p.done()
	} else {
		o.missing("survey")
	}
	return r
}

// reads: FileSurvey.
func (r *SurveyPositive) reads() []string { return []string{vardval.FileSurvey} }
