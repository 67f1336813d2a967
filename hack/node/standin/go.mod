module kro-ts.local/standin

go 1.22
