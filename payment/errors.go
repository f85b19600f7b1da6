package payment

// Errors a service can map.
//
// Request errors are about what the caller asked for; the same region
// priced with another request may succeed (a service answers 400 or 404):
//
//   - *UnknownModelError: a model name that is not known (Builtin);
//   - *RunPeriodError: a period with no first or last day, or outside the
//     model's validity (Run, Price, Marginals);
//   - *OverrideError: an override with an unknown key, or one that breaks
//     the model's rules (Model.With);
//   - *UnknownUnitError: a unit id with no statement (Explain,
//     WriteWaterfallSVG, Marginals);
//   - *ResultsError: a measure results file that cannot be read
//     (ReadResults).
//
// Data errors are about the region: it cannot be priced as given, under
// any request, until its data is corrected (a service answers 422):
//
//   - *DataError: a pool share whose index is zero for every unit, no
//     person listed at a primary-care unit in the period (a listings file
//     with every row rejected), and the like.
//
// A model that cannot be read is a *ModelError (ParseModel, Check,
// Validate); a *RunError that is neither of the above is a model that
// cannot price a month (a model built in memory with no value in force);
// context.Canceled and context.DeadlineExceeded come back as they are.
// *RunPeriodError and *DataError wrap a *RunError with the details (model,
// month, key path, reason), so errors.As finds either.

// RunPeriodError is a request error: the period asked for has no first or
// last day, or is not inside the model's validity. Its message is the
// RunError's.
type RunPeriodError struct {
	RunError
}

// Unwrap returns the *RunError with the details.
func (e *RunPeriodError) Unwrap() error { return &e.RunError }

// DataError is a data error: the region cannot be priced as given (a pool
// share whose index is zero for every unit, no listed person in the
// period). Month and Path say where when known. Its message is the
// RunError's.
type DataError struct {
	RunError
}

// Unwrap returns the *RunError with the details.
func (e *DataError) Unwrap() error { return &e.RunError }
