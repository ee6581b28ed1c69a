import NameServerTool
import ToolSupport

await MQNamesrvCommand.runAsRoot()
