package web

import (
	"io"
	"mime/multipart"
	"net/http"

	"github.com/tokumei/tokumei/fault"
)

var errNoFile = fault.New(fault.Invalid, "choose the file to upload", "アップロードするファイルを選択してください").In("file")

// streamPart returns the file part named field of a multipart request as a
// stream, without parsing the whole form: nothing of the file is buffered to
// memory or spooled to disk. Parts before it (the csrf field, say) are
// skipped; the caller must read the returned part before touching r again.
// Requests whose part is not multipart/form-data get errNoFile.
func streamPart(r *http.Request, field string) (string, io.Reader, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return "", nil, errNoFile.Wrap(err)
	}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return "", nil, errNoFile
		}
		if err != nil {
			return "", nil, errNoFile.Wrap(err)
		}
		if p.FormName() == field && p.FileName() != "" {
			return p.FileName(), p, nil
		}
		discard(p)
	}
}

func discard(p *multipart.Part) {
	_, _ = io.Copy(io.Discard, io.LimitReader(p, 1<<20))
	_ = p.Close()
}
