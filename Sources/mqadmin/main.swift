import AdminTool
import ToolSupport

await MQAdminCommand.runAsRoot()
