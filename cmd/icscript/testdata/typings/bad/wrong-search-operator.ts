// expect: "LIKE"
for await (const c of intercom.contacts.search({ field: "email", operator: "LIKE", value: "x" })) console.log(c.id);
