module example.com/archive

go 1.22
