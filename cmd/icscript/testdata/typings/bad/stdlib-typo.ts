// expect: TS2551
// expect: readCsv
const rows = fs.readCsv("contacts.csv");
