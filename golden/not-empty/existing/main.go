package main // my own work
