package app

// Spoken is spoken for the tests of package app_test.
var Spoken = spoken
