module example.com/lister

go 1.22
