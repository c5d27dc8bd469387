// expect: TS18046
// expect: c.emial
for await (const c of intercom.contacts.list()) console.log(c.emial.toLowerCase());
