import StoreTool
import ToolSupport

await MQStoreCommand.runAsRoot()
