import ClientTool
import ToolSupport

await MQClientCommand.runAsRoot()
