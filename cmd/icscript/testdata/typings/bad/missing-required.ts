// expect: TS2345
// expect: 'from'
await intercom.conversations.create({ body: "hello" });
