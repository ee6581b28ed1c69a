import StoreTool

await MQStoreCommand.runAsRoot()
