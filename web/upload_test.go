package web

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http/httptest"
	"testing"

	"github.com/tokumei/tokumei/fault"
)

func TestStreamPart(t *testing.T) {
	build := func(withFile bool) (*bytes.Buffer, string) {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		_ = mw.WriteField("csrf", "token")
		if withFile {
			fw, _ := mw.CreateFormFile("file", "extract.csv")
			_, _ = fw.Write([]byte("氏名,年齢\n山田,41\n"))
		}
		_ = mw.WriteField("after", "x")
		_ = mw.Close()
		return &b, mw.FormDataContentType()
	}
	body, ctype := build(true)
	r := httptest.NewRequest("POST", "/cases/1/extract?csrf=token", body)
	r.Header.Set("Content-Type", ctype)
	name, rd, err := streamPart(r, "file")
	if err != nil {
		t.Fatalf("streamPart: %v", err)
	}
	got, _ := io.ReadAll(rd)
	if name != "extract.csv" || string(got) != "氏名,年齢\n山田,41\n" {
		t.Errorf("got %q %q", name, got)
	}
	if r.MultipartForm != nil && len(r.MultipartForm.File) > 0 {
		t.Error("the form was parsed (and possibly spooled to disk)")
	}

	body, ctype = build(false)
	r = httptest.NewRequest("POST", "/cases/1/extract", body)
	r.Header.Set("Content-Type", ctype)
	if _, _, err := streamPart(r, "file"); fault.ErrorCode(err) != fault.Invalid {
		t.Errorf("no file part: err = %v, want invalid", err)
	}
}
