// expect: TS2551
// expect: serch
for await (const c of intercom.contacts.serch({ field: "email", operator: "=", value: "a@b.c" })) console.log(c);
