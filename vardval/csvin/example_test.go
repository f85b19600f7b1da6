package csvin_test

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/vardval/vardval/vardval/csvin"
)

func ExampleReader() {
	// A Swedish Excel export: ';', CRLF, Windows-1252 (0xE5 is å), a quoted
	// field with a line break, an empty line and a malformed record.
	in := "Unit_ID;Namn;Fee\r\n" +
		"VC1;\"V\xE5rdcentralen \"\"Norr\"\"\";12,5\r\n" +
		"VC2;\"Two\r\nlines\";0\r\n" +
		"\r\n" +
		"VC3;bad\"quote;1\r\n" +
		"VC4;ok;2\r\n"
	rd, err := csvin.NewReader(strings.NewReader(in))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rd.Header(), string(rd.Delimiter()), rd.Encoding())
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			break
		}
		var bad *csvin.RecordError
		if errors.As(err, &bad) {
			fmt.Printf("line %d: rejected, column %q: %s\n", bad.Line, rd.Header()[bad.Field], bad.Reason)
			continue
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("line %d: %q\n", rec.Line, rec.Fields)
	}
	// Output:
	// [unit_id namn fee] ; windows-1252
	// line 2: ["VC1" "Vårdcentralen \"Norr\"" "12,5"]
	// line 3: ["VC2" "Two\nlines" "0"]
	// line 6: rejected, column "namn": bare quote in unquoted field
	// line 7: ["VC4" "ok" "2"]
}
