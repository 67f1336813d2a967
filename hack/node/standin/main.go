// standin is the one static binary behind the local node's images (hack/node/build-images.sh):
// the pod sandbox ("pause": sleep until signalled), the nginx stand-in ("serve": a static HTTP
// server on port 80 that answers every path with a small page), and a wget stand-in ("get URL":
// print the body of one HTTP GET, exit non-zero on failure) for tests that check Services route.
// They are stand-ins: no registry is reachable on the project's machines, so nothing is pulled.
package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

func main() {
	mode := filepath.Base(os.Args[0])
	args := os.Args[1:]
	if mode == "standin" && len(args) > 0 {
		mode, args = args[0], args[1:]
	}
	switch mode {
	case "pause":
		pause()
	case "serve", "nginx":
		serve()
	case "get", "wget":
		os.Exit(get(args))
	default:
		fmt.Fprintf(os.Stderr, "standin: unknown mode %q (pause, serve, get URL)\n", mode)
		os.Exit(2)
	}
}

func pause() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM, syscall.SIGINT)
	<-ch
}

func serve() {
	addr := ":80"
	if p := os.Getenv("PORT"); p != "" {
		addr = ":" + p
	}
	host, _ := os.Hostname()
	page := fmt.Sprintf("<!DOCTYPE html>\n<html><head><title>Welcome to nginx!</title></head>"+
		"<body><h1>Welcome to nginx!</h1><p>kro-ts local-node stand-in for nginx, served by pod %s.</p></body></html>\n", host)
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Server", "kro-ts-standin")
		_, _ = io.WriteString(w, page)
	})
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, syscall.SIGTERM, syscall.SIGINT)
		<-ch
		_ = srv.Close()
	}()
	fmt.Printf("standin: serving on %s\n", addr)
	if err := srv.ListenAndServe(); err != nil && err != http.ErrServerClosed {
		fmt.Fprintln(os.Stderr, "standin:", err)
		os.Exit(1)
	}
}

func get(args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "usage: get URL")
		return 2
	}
	c := &http.Client{Timeout: 5 * time.Second}
	res, err := c.Get(args[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, "get:", err)
		return 1
	}
	defer res.Body.Close()
	_, _ = io.Copy(os.Stdout, res.Body)
	if res.StatusCode >= 400 {
		fmt.Fprintln(os.Stderr, "get:", res.Status)
		return 1
	}
	return 0
}
