package payment

import (
	"errors"

	"github.com/vardval/vardval/measures"
)

func asErr[T error](err error, target *T) bool { return errors.As(err, target) }

type measuresResult = measures.Result
